package io.dap.portal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.dap.portal.support.Browser;
import io.dap.portal.support.LeaveBeforeGateFilter;
import io.dap.portal.support.RawHttp;
import io.dap.portal.support.SlowProbeResource;
import io.dap.portal.support.Users;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The first visit of a page runs alone; the next visits of the same page wait for its answer
 * without holding an admission place, and once the page has been answered its visits run side by
 * side. Eight first visits of the infrastructure list at once each built the parser state of its
 * queries (up to 230 MB allocated for one statement) and kept a 128 MB heap in full collections for
 * seconds.
 */
@QuarkusTest
@TestProfile(FirstVisitGateTest.GateOn.class)
class FirstVisitGateTest {

    public static class GateOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Two places: the held first visit takes one, so a page answered meanwhile proves that
            // the waiting second visit gave its place away.
            return Map.of("portal.overload.first-visits-alone", "true", "portal.overload.max-concurrent-requests", "2",
                    "portal.overload.max-wait", "PT0.5S");
        }
    }

    @Inject
    Users users;

    @Inject
    AdmissionControl admission;

    @Inject
    FirstVisitGate gate;

    @Test
    void theFirstVisitOfAPageRunsAloneAndTheNextOnesWaitWithoutHoldingAPlace() throws Exception {
        Browser browser = new Browser().signIn(users.active("first-visit").email, Users.PASSWORD);

        SlowProbeResource.arm();
        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> browser.request().get("/test-support/slow"));
        assertTrue(SlowProbeResource.awaitEntered());
        CompletableFuture<Response> second = CompletableFuture.supplyAsync(() -> browser.request().get("/test-support/slow"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gate.waiting() == 1);
        assertEquals(1, SlowProbeResource.inside(), "the second visit of a page not answered yet waits for the first");
        assertEquals(1, admission.running(), "and holds no admission place meanwhile");
        assertEquals(200, browser.get("/settings/profile").statusCode(),
                "another page is answered meanwhile: the waiting visit holds no place");

        SlowProbeResource.release();
        assertEquals("released", first.get(10, TimeUnit.SECONDS).asString());
        assertEquals("released", second.get(10, TimeUnit.SECONDS).asString(), "the waiting visit goes on after the first");

        SlowProbeResource.arm();
        CompletableFuture<Response> third = CompletableFuture.supplyAsync(() -> browser.request().get("/test-support/slow"));
        assertTrue(SlowProbeResource.awaitEntered());
        CompletableFuture<Response> fourth = CompletableFuture.supplyAsync(() -> browser.request().get("/test-support/slow"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> SlowProbeResource.inside() == 2);
        SlowProbeResource.release();
        assertEquals("released", third.get(10, TimeUnit.SECONDS).asString());
        assertEquals("released", fourth.get(10, TimeUnit.SECONDS).asString());
        assertEquals(0, admission.running(), "every place given back");
    }

    /**
     * A visitor who leaves before the first visit is answered: the page is answered all the same,
     * so its next visit goes straight in. (It waited 10 s, and so did every visit after it: the
     * benchmark's warm-up of one second left Settings > Profile answering nothing.)
     */
    @Test
    void aFirstVisitWhoseVisitorLeftStillWarmsThePage() throws Exception {
        Browser browser = new Browser().signIn(users.active("first-visit-gone").email, Users.PASSWORD);

        SlowProbeResource.arm();
        try (Socket socket = new Socket("127.0.0.1", RawHttp.port())) {
            socket.getOutputStream().write(("GET /test-support/slow/elsewhere HTTP/1.1\r\nHost: localhost\r\n"
                    + LeaveBeforeGateFilter.HEADER + ": yes\r\n" + browser.cookieHeader() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }
        assertTrue(SlowProbeResource.awaitEntered(), "the visit goes on once its client has gone");
        SlowProbeResource.release();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> SlowProbeResource.inside() == 0);

        SlowProbeResource.arm();
        CompletableFuture<Response> next = CompletableFuture.supplyAsync(
                () -> browser.request().get("/test-support/slow/elsewhere"));
        Awaitility.await().atMost(Duration.ofSeconds(FirstVisitGate.MAX_WAIT_SECONDS / 2))
                .until(() -> SlowProbeResource.inside() == 1);
        assertEquals(0, gate.waiting(), "the next visit did not wait for an answer that had gone");
        SlowProbeResource.release();
        assertEquals("released", next.get(10, TimeUnit.SECONDS).asString());
    }
}
