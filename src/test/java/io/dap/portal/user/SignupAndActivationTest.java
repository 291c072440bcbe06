package io.dap.portal.user;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.support.Browser;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.web.TimeSource;
import io.quarkus.mailer.Mail;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class SignupAndActivationTest {

    private static final String PASSWORD = "a long enough passphrase";

    @Inject
    Mailbox mailbox;

    @BeforeEach
    void clearMail() {
        mailbox.clear();
    }

    @Test
    void signUpActivateSignInSignOutAndTheOldCookieIsAnonymous() {
        String email = Users.uniqueEmail("newcomer");
        Browser browser = new Browser();
        browser.get("/signup").then().statusCode(200).body(containsString("Create your account"));

        Response signedUp = browser.post("/signup", "email", "  " + email.toUpperCase() + " ", "displayName",
                "New Comer");
        signedUp.then().statusCode(303).header("Location", endsWith("/login"));
        browser.follow(signedUp).then().statusCode(200).body(containsString("Check your inbox"))
                .body(containsString("choose your password"));
        // Until the address is proved there is no password to sign in with (R18).
        assertEquals(null, io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> User.findByEmail(email).orElseThrow().passwordHash));

        Mail mail = mailbox.single(email);
        assertTrue(mail.getText().contains("expires in 48 hours"), mail.getText());
        String link = Mailbox.linkPath(mail, "/activate/");
        browser.get(link).then().statusCode(200).body(containsString(email)).body(containsString("Activate my account"))
                .body(containsString("value=\"New Comer\"")).body(containsString("name=\"password\""));
        assertEquals(User.Status.PENDING_ACTIVATION, statusOf(email), "GET must not activate");

        Response activated = browser.post(link, "displayName", "New Comer", "password", PASSWORD);
        activated.then().statusCode(303).header("Location", endsWith("/infrastructures"));
        assertEquals(User.Status.ACTIVE, statusOf(email));
        String sessionCookie = browser.cookie("portal_session");
        assertTrue(sessionCookie != null, "signed in right after activation");
        browser.follow(activated).then().statusCode(200).body(containsString("No infrastructures yet"))
                .body(containsString("New Comer")).body(containsString("Your account is active"));

        Response signedOut = browser.post("/logout", java.util.Map.of());
        signedOut.then().statusCode(303).header("Location", endsWith("/login"));
        new Browser().signIn(email, PASSWORD);

        Browser replay = new Browser();
        replay.setCookie("portal_session", sessionCookie);
        replay.get("/settings/profile").then().statusCode(303).header("Location", containsString("/login?next="));
    }

    @Test
    void activationLinkWorksOnceAndNoOtherTokenOpensIt() {
        String email = Users.uniqueEmail("once");
        Browser browser = new Browser();
        browser.post("/signup", "email", email, "displayName", "Once");
        String link = Mailbox.linkPath(mailbox.single(email), "/activate/");
        String token = link.substring("/activate/".length());

        assertTrue(token.length() >= 43, "at least 256 bits, URL-safe");
        assertFalse(tokenStoredInClear(token), "only the hash may be stored");

        String forged = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        browser.get("/activate/" + forged).then().statusCode(404)
                .body(containsString("This link is not valid"));
        browser.get("/activate/not-a-token").then().statusCode(404);
        browser.post(link, "displayName", "Once", "password", PASSWORD).then().statusCode(303);
        browser.get(link).then().statusCode(404).body(containsString("This link is not valid"));
        browser.post(link, "displayName", "Once", "password", "a different passphrase").then().statusCode(404);
    }

    @Test
    void anExpiredActivationLinkIsRefusedAndANewOneCanBeRequested() {
        MutableClock clock = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        String email = Users.uniqueEmail("late");
        Browser browser = new Browser();
        browser.post("/signup", "email", email, "displayName", "Late");
        String oldLink = Mailbox.linkPath(mailbox.single(email), "/activate/");

        clock.advance(Duration.ofHours(48).plusMinutes(1));
        browser.get(oldLink).then().statusCode(404);
        browser.post(oldLink, "displayName", "Late", "password", PASSWORD).then().statusCode(404);
        assertEquals(User.Status.PENDING_ACTIVATION, statusOf(email));

        mailbox.clear();
        browser.post("/activate", "email", email).then().statusCode(303);
        String newLink = Mailbox.linkPath(mailbox.single(email), "/activate/");
        assertNotEquals(oldLink, newLink);
        browser.post(newLink, "displayName", "Late", "password", PASSWORD).then().statusCode(303);
        assertEquals(User.Status.ACTIVE, statusOf(email));
    }

    @Test
    void resendingKillsTheEarlierActivationLink() {
        String email = Users.uniqueEmail("resend");
        Browser browser = new Browser();
        browser.post("/signup", "email", email, "displayName", "Resend");
        String first = Mailbox.linkPath(mailbox.single(email), "/activate/");
        mailbox.clear();
        browser.post("/activate", "email", email).then().statusCode(303);
        String second = Mailbox.linkPath(mailbox.single(email), "/activate/");

        browser.get(first).then().statusCode(404);
        browser.get(second).then().statusCode(200);
    }

    static User.Status statusOf(String email) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> User.findByEmail(email).map(u -> u.status).orElse(null));
    }

    @Transactional
    boolean tokenStoredInClear(String token) {
        List<?> rows = UserToken.find("tokenHash", token).list();
        return !rows.isEmpty();
    }
}
