package io.dap.portal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.support.Browser;
import io.dap.portal.support.SlowProbeResource;
import io.dap.portal.support.Users;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Right after a start the portal works on one request at a time (here) although sixteen are
 * allowed, until it has answered its warm-up requests; then the full concurrency applies. A cold
 * portal learning every query at once on a small heap stalled for minutes.
 */
@QuarkusTest
@TestProfile(AdmissionControlWarmUpTest.ColdStart.class)
class AdmissionControlWarmUpTest {

    static final int WARM_UP = 30;

    public static class ColdStart implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portal.overload.max-concurrent-requests", "16", "portal.overload.max-queued-requests", "4",
                    "portal.overload.max-wait", "PT0.5S", "portal.overload.warm-up-requests", String.valueOf(WARM_UP),
                    "portal.overload.warm-up-concurrent-requests", "1");
        }
    }

    @Inject
    Users users;

    @Inject
    AdmissionControl admission;

    @Test
    void oneAtATimeWhileWarmingUpThenTheFullConcurrency() throws Exception {
        Browser browser = new Browser().signIn(users.active("cold").email, Users.PASSWORD);
        assertTrue(admission.answered() < WARM_UP, "still warming up: " + admission.answered());

        SlowProbeResource.arm();
        CompletableFuture<Response> holding = CompletableFuture.supplyAsync(() -> browser.request().get("/test-support/slow"));
        assertTrue(SlowProbeResource.awaitEntered());
        Response cold = browser.get("/settings/profile");
        assertEquals(503, cold.statusCode(), "one at a time while warming up, though sixteen are allowed later");
        assertEquals("1", cold.header("Retry-After"));
        SlowProbeResource.release();
        assertEquals("released", holding.get(10, TimeUnit.SECONDS).asString());

        while (admission.answered() < WARM_UP) {
            assertEquals(200, browser.get("/settings/profile").statusCode());
        }
        SlowProbeResource.arm();
        CompletableFuture<Response> again = CompletableFuture.supplyAsync(() -> browser.request().get("/test-support/slow"));
        assertTrue(SlowProbeResource.awaitEntered());
        assertEquals(200, browser.get("/settings/profile").statusCode(), "warm: a second request runs beside the first");
        SlowProbeResource.release();
        assertEquals("released", again.get(10, TimeUnit.SECONDS).asString());
        assertEquals(0, admission.running(), "every slot given back");
    }
}
