package io.dap.portal.support;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Test-only endpoint: a signed-in request that takes as long as the test wants, to fill the portal up. */
@Path("/test-support/slow")
public class SlowProbeResource {

    private static volatile CountDownLatch entered = new CountDownLatch(1);
    private static volatile CountDownLatch release = new CountDownLatch(1);
    private static final AtomicInteger inside = new AtomicInteger();

    /** Arms the probe: the next request waits inside until {@link #release()}. */
    public static void arm() {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
    }

    public static boolean awaitEntered() throws InterruptedException {
        return entered.await(30, TimeUnit.SECONDS);
    }

    public static void release() {
        release.countDown();
    }

    /** Requests inside the probe now. */
    public static int inside() {
        return inside.get();
    }

    /** The same, as a second page: one no other test has visited yet. */
    @GET
    @Path("elsewhere")
    public String holdElsewhere() throws InterruptedException {
        return hold();
    }

    @GET
    public String hold() throws InterruptedException {
        inside.incrementAndGet();
        try {
            entered.countDown();
            return release.await(30, TimeUnit.SECONDS) ? "released" : "timed out";
        } finally {
            inside.decrementAndGet();
        }
    }
}
