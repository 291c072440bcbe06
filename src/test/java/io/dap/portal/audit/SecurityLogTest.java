package io.dap.portal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.support.Browser;
import io.dap.portal.support.Links;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SecurityLogTest {

    @Inject
    Users users;

    @Inject
    AuditLog audit;

    @Test
    void signInsAndFailuresAreAuditedAndShownOnlyToTheirUser() {
        User user = users.active("audited");
        new Browser().post("/login", "email", user.email, "password", "definitely wrong!");
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);

        List<String> actions = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "userId = ?1 order by id", user.id).stream().map(e -> e.action).toList());
        assertEquals(List.of("LOGIN_FAILED", "LOGIN"), actions);
        AuditEvent login = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find(
                "userId = ?1 and action = 'LOGIN'", user.id).firstResult());
        assertEquals("127.0.0.1", login.clientAddress);

        String page = browser.get("/settings/security-log").then().statusCode(200).extract().asString();
        assertTrue(page.contains("Failed sign-in"));
        assertTrue(page.contains("Signed in"));

        User other = users.active("other-log");
        String otherPage = new Browser().signIn(other.email, Users.PASSWORD).get("/settings/security-log")
                .asString();
        assertFalse(otherPage.contains("Failed sign-in"));
    }

    @Test
    void theSecurityLogIsPaginatedAndNoPasswordReachesIt() {
        User user = users.active("paged");
        new Browser().post("/login", "email", user.email, "password", "wrong-secret-0");
        for (int i = 0; i < 28; i++) {
            audit.record(user, AuditAction.SESSION_REVOKED, AuditEvent.Outcome.SUCCESS, "session " + i, null);
        }
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        String first = browser.get("/settings/security-log").asString();
        assertTrue(first.contains("session 27<") && first.contains("session 4<") && !first.contains("session 3<"),
                "the newest 25 rows: this sign-in and sessions 27 to 4");
        String older = Links.rel(first, "next");
        assertTrue(older.contains("older="), older);
        String second = browser.get(older).asString();
        assertTrue(second.contains("session 0<") && second.contains("Failed sign-in") && !second.contains("session 27<"),
                "the older rows, down to the first failed sign-in");
        assertFalse(second.contains("rel=\"next\""), "nothing older");
        String back = browser.get(Links.rel(second, "prev")).asString();
        assertTrue(back.contains("session 27"), "newer leads back");
        browser.get("/settings/security-log?older=abc").then().statusCode(200);
        browser.get("/settings/security-log?newer=99999999999999999999-x").then().statusCode(200);
        long leaks = QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "detail like '%wrong-secret%' or target like '%wrong-secret%'"));
        assertEquals(0, leaks);
    }
}
