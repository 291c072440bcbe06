package io.dap.portal.credentials;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.api.ApiFixtures;
import io.dap.portal.apitoken.ApiToken;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.sshkey.SshKey;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A new password does not stop API tokens or SSH keys: after a change or a reset the user is shown
 * both, each with a one-click revoke; "sign out everywhere" offers to revoke the tokens too.
 */
@QuarkusTest
class CredentialsTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    ApiFixtures api;

    @Inject
    Mailbox mailbox;

    @BeforeEach
    void clearMail() {
        mailbox.clear();
    }

    @Test
    void aPasswordChangeLeadsToTheTokensAndKeysWithOneClickRevoke() throws Exception {
        User user = users.active("review");
        String token = api.global(user);
        String spare = api.direct(user, ApiToken.Scope.GLOBAL, null, Instant.now().plusSeconds(86_400));
        String revokedEarlier = api.global(user);
        revokeDirectly(revokedEarlier);
        SshKey key = accounts.key(user, "laptop", Accounts.fixtureKey("ed25519"));
        User other = users.active("review-other");
        String othersToken = api.global(other);

        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        browser.get("/settings/password");
        Response changed = browser.post("/settings/password", "currentPassword", Users.PASSWORD, "newPassword",
                "a completely new passphrase");
        changed.then().statusCode(303).header("Location", endsWith("/settings/credentials"));
        String page = browser.follow(changed).then().statusCode(200).extract().asString();
        assertTrue(page.contains("Your password was changed"));
        assertTrue(page.contains(key.fingerprint));
        assertEquals(2, count(page, "/settings/credentials/api-tokens/"), "the two tokens that still work");
        assertTrue(page.contains("/settings/credentials/ssh-keys/" + key.id + "/delete"));

        Long tokenId = tokenId(token);
        browser.post("/settings/credentials/api-tokens/" + tokenId + "/revoke").then().statusCode(303)
                .header("Location", endsWith("/settings/credentials"));
        ApiFixtures.api(token).get("/api/v1/accounts").then().statusCode(401);
        ApiFixtures.api(spare).get("/api/v1/accounts").then().statusCode(200);
        browser.post("/settings/credentials/ssh-keys/" + key.id + "/delete").then().statusCode(303);
        assertNull(QuarkusTransaction.requiringNew().call(() -> SshKey.findById(key.id)));

        // Another person's token or key is not found here, and stays.
        browser.post("/settings/credentials/api-tokens/" + tokenId(othersToken) + "/revoke").then().statusCode(404);
        ApiFixtures.api(othersToken).get("/api/v1/accounts").then().statusCode(200);

        Response all = browser.post("/settings/credentials/api-tokens/revoke-all");
        browser.follow(all).then().body(containsString("Revoked 1 API token."))
                .body(containsString("No API token of yours works at the moment"));
        ApiFixtures.api(spare).get("/api/v1/accounts").then().statusCode(401);
        assertEquals(1, audit(user, AuditAction.API_TOKENS_REVOKED_ALL).size());
    }

    @Test
    void aWrongCurrentPasswordIsAuditedAndThrottledLikeSignIn() {
        MutableClock clock = new MutableClock(Instant.now().plus(Duration.ofDays(30)));
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        User user = users.active("change-guess");
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        for (int i = 0; i < 5; i++) {
            Response wrong = browser.post("/settings/password", "currentPassword", "guess number " + i,
                    "newPassword", "a completely new passphrase");
            browser.follow(wrong).then().body(containsString("This is not your current password"));
        }
        Response throttled = browser.post("/settings/password", "currentPassword", Users.PASSWORD, "newPassword",
                "a completely new passphrase");
        browser.follow(throttled).then().body(containsString("Too many wrong passwords"));
        assertEquals(5, audit(user, AuditAction.LOGIN_FAILED).stream()
                .filter(e -> "wrong current password to change the password".equals(e.detail)).count());
        assertTrue(audit(user, AuditAction.LOGIN_THROTTLED).size() >= 1);
        assertEquals(0, audit(user, AuditAction.PASSWORD_CHANGED).size());

        clock.advance(Duration.ofMinutes(16));
        browser.post("/settings/password", "currentPassword", Users.PASSWORD, "newPassword",
                "a completely new passphrase").then().statusCode(303).header("Location", endsWith("/settings/credentials"));
        // Signing in clears this client's failures for the address, as after any sign-in.
        new Browser().signIn(user.email, "a completely new passphrase");
    }

    @Test
    void aPasswordResetSignsInAndLeadsToTheReviewEveryOtherSessionEnded() {
        User user = users.active("reset-review");
        String token = api.global(user);
        Browser elsewhere = new Browser().signIn(user.email, Users.PASSWORD);
        Browser browser = new Browser();
        browser.post("/forgot-password", "email", user.email);
        String link = Mailbox.linkPath(mailbox.single(user.email), "/reset-password/");
        Response reset = browser.post(link, "password", "a brand new passphrase");
        reset.then().statusCode(303).header("Location", endsWith("/settings/credentials"));
        assertNotNull(browser.cookie("portal_session"));
        browser.follow(reset).then().statusCode(200).body(containsString("Revoke"));
        elsewhere.get("/settings/profile").then().statusCode(303);
        ApiFixtures.api(token).get("/api/v1/accounts").then().statusCode(200);
    }

    @Test
    void signOutEverywhereRevokesTheTokensOnlyWhenAsked() {
        User user = users.active("everywhere");
        String kept = api.global(user);
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        browser.get("/settings/sessions").then().statusCode(200)
                .body(containsString("Also revoke every API token I created"));
        browser.post("/settings/sessions/revoke-all").then().statusCode(303);
        ApiFixtures.api(kept).get("/api/v1/accounts").then().statusCode(200);

        browser = new Browser().signIn(user.email, Users.PASSWORD);
        browser.get("/settings/sessions");
        Response out = browser.post("/settings/sessions/revoke-all", "apiTokens", "on");
        out.then().statusCode(303).header("Location", endsWith("/login"));
        browser.follow(out).then().body(containsString("Every API token you had was revoked"));
        ApiFixtures.api(kept).get("/api/v1/accounts").then().statusCode(401);
        assertEquals(1, audit(user, AuditAction.API_TOKENS_REVOKED_ALL).size());
        browser.get("/settings/credentials").then().statusCode(303).body(not(containsString("dap_")));
    }

    private static int count(String page, String fragment) {
        int n = 0;
        for (int at = page.indexOf(fragment); at >= 0; at = page.indexOf(fragment, at + 1)) {
            if (!page.startsWith("/settings/credentials/api-tokens/revoke-all", at)) {
                n++;
            }
        }
        return n;
    }

    private static Long tokenId(String secret) {
        String hash = io.dap.portal.web.Tokens.sha256(secret);
        return QuarkusTransaction.requiringNew().call(() -> ApiToken.<ApiToken>find("tokenHash", hash).firstResult().id);
    }

    private static void revokeDirectly(String secret) {
        Long id = tokenId(secret);
        QuarkusTransaction.requiringNew().run(() -> ApiToken.update("revokedAt = ?1 where id = ?2", Instant.now(), id));
    }

    private static List<AuditEvent> audit(User user, AuditAction action) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list("userId = ?1 and action = ?2",
                user.id, action.name()));
    }
}
