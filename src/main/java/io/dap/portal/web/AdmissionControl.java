package io.dap.portal.web;

import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * Sheds load instead of piling it up. At most {@code portal.overload.max-concurrent-requests}
 * requests are worked on at once; a few more wait in line, in order, for at most
 * {@code portal.overload.max-wait}; anything beyond gets a quick 503 with Retry-After. So under
 * overload the portal answers, fast, rather than letting hundreds of requests wait for a database
 * connection inside their transactions until they time out. Runs before sign-in resolution (which
 * reads the database); health checks and static files are not counted. Right after a start, while
 * the first {@code portal.overload.warm-up-requests} are answered, only
 * {@code portal.overload.warm-up-concurrent-requests} run at once: a cold portal learns its queries
 * a few at a time instead of all together. A request that waits for something with a line of its own
 * (a password check, {@link #stepAside}) gives its place to the next request meanwhile.
 */
@ApplicationScoped
public class AdmissionControl {

    /** After the security headers (1000), before authentication (200) and everything else. */
    private static final int PRIORITY = 900;

    @Inject
    PortalConfig config;

    @Inject
    CurrentVertxRequest currentRequest;

    /** The request's place: held, given up while it steps aside, or given back for good when answered. */
    private static final String PLACE = AdmissionControl.class.getName() + ".place";
    private static final int HELD = 0;
    private static final int ASIDE = 1;
    private static final int DONE = 2;

    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final Queue<Waiting> line = new ConcurrentLinkedQueue<>();

    private static final class Waiting {
        final RoutingContext request;
        final Context context;
        final AtomicBoolean settled = new AtomicBoolean();
        long timer;

        Waiting(RoutingContext request, Context context) {
            this.request = request;
            this.context = context;
        }
    }

    void register(@Observes Filters filters) {
        filters.register(this::admit, PRIORITY);
    }

    void admit(RoutingContext request) {
        if (exempt(request.normalizedPath())) {
            request.next();
            return;
        }
        if (tryAcquire()) {
            proceed(request);
            return;
        }
        if (queued.incrementAndGet() > config.overload().maxQueuedRequests()) {
            queued.decrementAndGet();
            refuse(request);
            return;
        }
        Waiting waiting = new Waiting(request, Vertx.currentContext());
        // The timer first, then the line: whoever takes the request from the line cancels this timer.
        waiting.timer = request.vertx().setTimer(Math.max(1, config.overload().maxWait().toMillis()), id -> {
            if (waiting.settled.compareAndSet(false, true)) {
                queued.decrementAndGet();
                refuse(request);
            }
        });
        line.add(waiting);
        // A request may have finished between tryAcquire and joining the line.
        next();
    }

    /** Requests being worked on now (for tests and the benchmark's understanding). */
    public int running() {
        return running.get();
    }

    /** Requests answered since the start, counted up to the end of the warm-up. */
    public int answered() {
        return answered.get();
    }

    private void proceed(RoutingContext request) {
        AtomicInteger place = new AtomicInteger(HELD);
        request.put(PLACE, place);
        request.addEndHandler(done -> {
            if (answered.get() < config.overload().warmUpRequests()) {
                answered.incrementAndGet();
            }
            if (place.getAndSet(DONE) == HELD) {
                running.decrementAndGet();
            }
            next();
        });
        request.next();
    }

    /**
     * Runs work that waits in a line of its own rather than computing (a password check waiting for a
     * hashing thread) without holding the request's place: the next request in line gets it meanwhile,
     * and the place is taken back when the work is done, past the limit if need be. Without this, eight
     * sign-ins waiting for their hash held eight places the pages needed. Outside a request, or for a
     * request that never took a place (health checks), the work just runs.
     */
    public <T> T stepAside(Callable<T> work) throws Exception {
        AtomicInteger place = currentPlace();
        if (place == null || !place.compareAndSet(HELD, ASIDE)) {
            return work.call();
        }
        running.decrementAndGet();
        next();
        try {
            return work.call();
        } finally {
            if (place.compareAndSet(ASIDE, HELD)) {
                running.incrementAndGet();
            }
        }
    }

    private AtomicInteger currentPlace() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        RoutingContext request = currentRequest.getCurrent();
        return request == null ? null : request.get(PLACE);
    }

    /** Lets the next waiting requests in, as long as there is room. */
    private void next() {
        while (!line.isEmpty() && tryAcquire()) {
            Waiting waiting = line.poll();
            if (waiting == null || !waiting.settled.compareAndSet(false, true)) {
                running.decrementAndGet();
                continue;
            }
            queued.decrementAndGet();
            waiting.request.vertx().cancelTimer(waiting.timer);
            if (waiting.request.response().closed()) {
                running.decrementAndGet();
                continue;
            }
            if (waiting.context == null) {
                proceed(waiting.request);
            } else {
                waiting.context.runOnContext(v -> proceed(waiting.request));
            }
        }
    }

    private boolean tryAcquire() {
        PortalConfig.Overload overload = config.overload();
        int limit = answered.get() < overload.warmUpRequests()
                ? Math.min(overload.warmUpConcurrentRequests(), overload.maxConcurrentRequests())
                : overload.maxConcurrentRequests();
        while (true) {
            int now = running.get();
            if (now >= limit) {
                return false;
            }
            if (running.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private static void refuse(RoutingContext request) {
        if (request.response().ended() || request.response().closed()) {
            return;
        }
        ErrorPages.busy(request);
    }

    static boolean exempt(String path) {
        return path == null || path.startsWith("/q/health") || path.startsWith("/css/") || path.startsWith("/js/")
                || path.startsWith("/img/") || path.equals("/favicon.ico");
    }
}
