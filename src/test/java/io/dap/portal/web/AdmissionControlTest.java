package io.dap.portal.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
 * Overload: past the requests worked on at once and the few waiting in line, the portal answers
 * 503 with Retry-After at once; a request in line gets its turn when one finishes, or a 503 when
 * it waited too long. Here one request at a time, one in line, half a second of waiting.
 */
@QuarkusTest
@TestProfile(AdmissionControlTest.OneAtATime.class)
class AdmissionControlTest {

    public static class OneAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portal.overload.max-concurrent-requests", "1", "portal.overload.max-queued-requests", "1",
                    "portal.overload.max-wait", "PT0.5S");
        }
    }

    @Inject
    Users users;

    @Inject
    AdmissionControl admission;

    @Test
    void beyondTheLineTheAnswerIsAQuick503AndTheLineMovesOn() throws Exception {
        Browser browser = new Browser().signIn(users.active("crowd").email, Users.PASSWORD);
        SlowProbeResource.arm();
        CompletableFuture<Response> holding = CompletableFuture.supplyAsync(() -> browser.request().get("/test-support/slow"));
        assertTrue(SlowProbeResource.awaitEntered());

        // The one slot is taken: one request waits its turn, the next is refused straight away.
        List<CompletableFuture<Timed>> crowd = List.of(timed(browser, "/settings/profile"),
                timed(browser, "/settings/profile"));
        Timed first = crowd.get(0).get(10, TimeUnit.SECONDS);
        Timed second = crowd.get(1).get(10, TimeUnit.SECONDS);
        Timed quick = first.millis() <= second.millis() ? first : second;
        Timed waited = quick == first ? second : first;
        for (Timed refused : List.of(quick, waited)) {
            assertEquals(503, refused.response().statusCode());
            assertEquals("1", refused.response().header("Retry-After"));
            assertTrue(refused.response().asString().contains("try again in a moment"));
        }
        assertTrue(quick.millis() < 400, "no room in line: refused at once, took " + quick.millis() + " ms");
        assertTrue(waited.millis() >= 450, "in line until it waited too long: " + waited.millis() + " ms");
        given().get("/q/health/live").then().statusCode(200);

        // A request in line goes through as soon as the slot is free.
        CompletableFuture<Timed> inLine = timed(browser, "/settings/profile");
        Thread.sleep(100);
        SlowProbeResource.release();
        assertEquals("released", holding.get(10, TimeUnit.SECONDS).asString());
        assertEquals(200, inLine.get(10, TimeUnit.SECONDS).response().statusCode());
        assertEquals(200, browser.get("/settings/profile").statusCode());
        assertEquals(0, admission.running(), "every slot given back");
    }

    private record Timed(Response response, long millis) {
    }

    private static CompletableFuture<Timed> timed(Browser browser, String path) {
        return CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            Response response = browser.request().get(path);
            return new Timed(response, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        });
    }
}
