package io.dap.portal.web;

import static org.hamcrest.Matchers.containsString;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.support.Browser;
import io.dap.portal.support.Users;
import io.quarkus.test.junit.QuarkusTest;

/** Work the portal has no room for (a full password-hashing line) is a quick 503 page with Retry-After, not a 500. */
@QuarkusTest
class OverloadedTest {

    @Inject
    Users users;

    @Test
    void noRoomIsA503WithRetryAfter() {
        Browser browser = new Browser().signIn(users.active("busy").email, Users.PASSWORD);
        browser.get("/test-support/overloaded").then().statusCode(503).header("Retry-After", "1")
                .body(containsString("Busy"), containsString("Nothing was changed; try again in a moment."));
    }
}
