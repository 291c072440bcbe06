package io.dap.portal.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Every page renders through a Mutiny timeout (Qute's, 10 s). Quarkus's worker pool kept each
 * cancelled timeout, and with it the whole request, until its 10 s were up: under load the old
 * generation filled with finished requests and a full collection paused every page every 10 s or so.
 * {@link MutinyTimers} forgets a cancelled timer at once.
 */
@QuarkusTest
class MutinyTimersTest {

    @Test
    void pagesAnsweredLeaveNoTimerBehind() {
        assertInstanceOf(MutinyTimers.Timers.class, Infrastructure.getDefaultWorkerPool(),
                "Mutiny still schedules its timeouts on the worker pool");
        for (int i = 0; i < 20; i++) {
            given().get("/login").then().statusCode(200);
        }
        // Each of the twenty pages set a 10 s timer; answered, it was cancelled and must be gone.
        assertEquals(0, MutinyTimers.pending(), "timers of answered pages still held");
    }

    @Test
    void aTimeoutStillFiresAndWhatFiresRunsOnTheWorkerPool() {
        assertThrows(TimeoutException.class, () -> Uni.createFrom().nothing().ifNoItem()
                .after(Duration.ofMillis(50)).fail().await().atMost(Duration.ofSeconds(5)));

        String thread = Uni.createFrom().item(1).onItem().delayIt().by(Duration.ofMillis(20))
                .map(x -> Thread.currentThread().getName()).await().atMost(Duration.ofSeconds(5));
        assertFalse(thread.startsWith("portal-timers"), "ran on the timer thread: " + thread);
        assertEquals(0, MutinyTimers.pending());
    }
}
