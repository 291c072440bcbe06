package io.dap.portal.web;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;

import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;

/**
 * The first visit of each page runs alone: until one request of a resource method has been
 * answered, the next ones of the same method wait for it, giving their admission place to other
 * requests meanwhile ({@link AdmissionControl#stepAside}). A page's first request teaches Hibernate
 * its queries, and parsing an HQL statement of a shape the parser has not met yet builds tens to
 * hundreds of megabytes of ANTLR prediction state for a moment (measured on the infrastructure list:
 * 45 to 230 MB allocated for its first statement, 0.1 MB for the same statement afterwards). Eight
 * first visits of that page at once, a minute after a start, filled the 128 MB heap: five seconds
 * of back-to-back full collections during which no page was answered. The portal-wide warm-up of
 * {@link AdmissionControl} only covers the first requests after a start; this covers the first
 * visit of every page, whenever it comes. Once a page has been answered, the check is one lookup
 * in a set. A first visit that takes longer than {@value #MAX_WAIT_SECONDS} s stops holding the
 * others back, and the page counts as answered from then on. Off in the test profile, where concurrency tests race cold pages on purpose
 * ({@code portal.overload.first-visits-alone}).
 */
@ApplicationScoped
public class FirstVisitGate {

    static final long MAX_WAIT_SECONDS = 10;
    private static final String FIRST_VISIT = FirstVisitGate.class.getName();

    @Inject
    PortalConfig config;

    @Inject
    AdmissionControl admission;

    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Semaphore> firstVisit = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();

    /** Runs on the request's worker thread for blocking resources, after sign-in resolution. */
    @ServerRequestFilter
    void beforeResource(ResourceInfo resource, RoutingContext routing) throws Exception {
        if (!config.overload().firstVisitsAlone() || Context.isOnEventLoopThread()) {
            return;
        }
        String page = resource instanceof ResteasyReactiveResourceInfo info ? info.getMethodId()
                : String.valueOf(resource.getResourceMethod());
        if (answered.contains(page)) {
            return;
        }
        Semaphore turn = firstVisit.computeIfAbsent(page, p -> new Semaphore(1));
        boolean alone = turn.tryAcquire();
        if (!alone) {
            waiting.incrementAndGet();
            try {
                alone = admission.stepAside(() -> turn.tryAcquire(MAX_WAIT_SECONDS, TimeUnit.SECONDS));
            } finally {
                waiting.decrementAndGet();
            }
        }
        if (!alone) {
            // The first visit is still not answered after all this time: stuck, or its answer got
            // lost. Its page stops holding visits back rather than making each wait as long.
            answered.add(page);
            return;
        }
        if (answered.contains(page)) {
            turn.release();
            return;
        }
        // Answered once the resource method has run (afterResource), whether or not the answer
        // reaches the client: a visitor who leaves before the answer must not leave the page cold,
        // its next visits each waiting the whole time. The end handler covers a request that ends
        // before its resource method runs.
        routing.put(FIRST_VISIT, page);
        routing.addEndHandler(done -> answered(page));
    }

    /** Runs on the request's worker thread once the resource method has returned or failed. */
    @ServerResponseFilter
    void afterResource(RoutingContext routing) {
        String page = routing.get(FIRST_VISIT);
        if (page != null) {
            answered(page);
        }
    }

    private void answered(String page) {
        if (answered.add(page)) {
            Semaphore turn = firstVisit.remove(page);
            if (turn != null) {
                turn.release();
            }
        }
    }

    /** Visits waiting for the first visit of their page to be answered (for tests). */
    int waiting() {
        return waiting.get();
    }
}
