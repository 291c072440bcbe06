package io.dap.portal.session;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.support.Browser;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class SessionTest {

    @Inject
    Users users;

    @Inject
    Mailbox mailbox;

    @BeforeEach
    void clearMail() {
        mailbox.clear();
    }

    @Test
    void signInIssuesAFreshHttpOnlySameSiteCookieStoredOnlyAsAHash() {
        User user = users.active("cookie");
        Browser browser = new Browser();
        browser.setCookie("portal_session", Tokens.newToken());
        Response response = browser.post("/login", "email", user.email, "password", Users.PASSWORD);
        String setCookie = response.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("portal_session=")).findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
        String raw = browser.cookie("portal_session");
        long clear = QuarkusTransaction.requiringNew().call(() -> UserSession.count("tokenHash", raw));
        long hashed = QuarkusTransaction.requiringNew().call(() -> UserSession.count("tokenHash", Tokens.sha256(raw)));
        assertEquals(0, clear);
        assertEquals(1, hashed);
    }

    @Test
    void aProtectedPageSendsAnonymousVisitorsToSignInAndBack() {
        User user = users.active("next");
        Browser browser = new Browser();
        browser.get("/settings/sessions").then().statusCode(303)
                .header("Location", endsWith("/login?next=%2Fsettings%2Fsessions"));
        browser.post("/login", "email", user.email, "password", Users.PASSWORD, "next", "/settings/sessions")
                .then().statusCode(303).header("Location", endsWith("/settings/sessions"));
    }

    @Test
    void signInNeverRedirectsOffSite() {
        User user = users.active("offsite");
        new Browser().post("/login", "email", user.email, "password", Users.PASSWORD, "next", "//evil.example/x")
                .then().statusCode(303).header("Location", endsWith("/dashboard"));
        new Browser().post("/login", "email", user.email, "password", Users.PASSWORD, "next", "https://evil.example")
                .then().statusCode(303).header("Location", endsWith("/dashboard"));
    }

    @Test
    void aWrongPasswordIsRefusedWithTheSameMessageAsAnUnknownAddress() {
        User user = users.active("wrong");
        Browser a = new Browser();
        String wrongPassword = a.follow(a.post("/login", "email", user.email, "password", "not the password at all"))
                .asString();
        Browser b = new Browser();
        String unknown = b.follow(b.post("/login", "email", Users.uniqueEmail("nobody"), "password",
                "not the password at all")).asString();
        assertTrue(wrongPassword.contains("do not match an active account"));
        assertTrue(unknown.contains("do not match an active account"));
        assertEquals(null, a.cookie("portal_session"));
    }

    @Test
    void anIdleSessionEndsAfterThirtyMinutesAndAnyMoreAfterTwelveHours() {
        MutableClock clock = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        User user = users.active("idle");

        Browser idle = new Browser().signIn(user.email, Users.PASSWORD);
        clock.advance(Duration.ofMinutes(29));
        idle.get("/settings/profile").then().statusCode(200);
        clock.advance(Duration.ofMinutes(31));
        idle.get("/settings/profile").then().statusCode(303).header("Location", containsString("/login"));

        Browser busy = new Browser().signIn(user.email, Users.PASSWORD);
        for (int i = 0; i < 12 * 3; i++) {
            clock.advance(Duration.ofMinutes(20));
            busy.get("/settings/profile");
        }
        busy.get("/settings/profile").then().statusCode(303).header("Location", containsString("/login"));
    }

    @Test
    void sessionsPageSignsOutOneOtherBrowserOrEverywhere() {
        User user = users.active("sessions");
        Browser laptop = new Browser().signIn(user.email, Users.PASSWORD);
        Browser phone = new Browser().signIn(user.email, Users.PASSWORD);
        Browser tablet = new Browser().signIn(user.email, Users.PASSWORD);

        String page = laptop.get("/settings/sessions").then().statusCode(200).extract().asString();
        assertTrue(page.contains("This browser"));
        Long phoneSession = sessionIdOf(phone);
        laptop.post("/settings/sessions/" + phoneSession + "/revoke", Map.of()).then().statusCode(303)
                .header("Location", endsWith("/settings/sessions"));
        phone.get("/settings/profile").then().statusCode(303);
        tablet.get("/settings/profile").then().statusCode(200);

        // Another user's session id is not found, and stays alive.
        User other = users.active("other");
        Browser stranger = new Browser().signIn(other.email, Users.PASSWORD);
        stranger.get("/settings/sessions");
        stranger.post("/settings/sessions/" + sessionIdOf(tablet) + "/revoke", Map.of()).then().statusCode(404);
        stranger.post("/settings/sessions/not-a-number/revoke", Map.of()).then().statusCode(404);
        tablet.get("/settings/profile").then().statusCode(200);

        laptop.get("/settings/sessions");
        laptop.post("/settings/sessions/revoke-all", Map.of()).then().statusCode(303)
                .header("Location", endsWith("/login"));
        laptop.get("/settings/profile").then().statusCode(303);
        tablet.get("/settings/profile").then().statusCode(303);
        stranger.get("/settings/profile").then().statusCode(200);
    }

    @Test
    void aPasswordResetEndsEverySessionAndTheLinkWorksOnce() {
        User user = users.active("reset");
        Browser first = new Browser().signIn(user.email, Users.PASSWORD);
        Browser second = new Browser().signIn(user.email, Users.PASSWORD);

        Browser forgetful = new Browser();
        forgetful.post("/forgot-password", "email", user.email).then().statusCode(303);
        var mail = mailbox.single(user.email);
        assertTrue(mail.getText().contains("expires in 1 hour"));
        String link = Mailbox.linkPath(mail, "/reset-password/");
        forgetful.get(link).then().statusCode(200);
        forgetful.post(link, "password", "short").then().statusCode(303).header("Location", endsWith(link));
        first.get("/settings/profile").then().statusCode(200);

        // The reset proved the address: this browser is signed in, to review its tokens and keys.
        forgetful.post(link, "password", "a brand new passphrase").then().statusCode(303)
                .header("Location", endsWith("/settings/credentials"));
        first.get("/settings/profile").then().statusCode(303);
        second.get("/settings/profile").then().statusCode(303);
        forgetful.get(link).then().statusCode(404);
        forgetful.post(link, "password", "yet another passphrase").then().statusCode(404);

        new Browser().signIn(user.email, "a brand new passphrase");
        Response old = new Browser().post("/login", "email", user.email, "password", Users.PASSWORD);
        old.then().header("Location", endsWith("/login"));
    }

    @Test
    void forgotPasswordAnswersTheSameForAnUnknownAddress() {
        Browser browser = new Browser();
        String unknown = Users.uniqueEmail("ghost");
        Response response = browser.post("/forgot-password", "email", unknown);
        response.then().statusCode(303).header("Location", endsWith("/login"));
        browser.follow(response).then().body(containsString("If an account uses " + unknown));
        assertTrue(mailbox.deliverAndRead(unknown).isEmpty());
    }

    @Test
    void changingThePasswordKeepsThisSessionAndEndsTheOthers() {
        User user = users.active("change");
        Browser here = new Browser().signIn(user.email, Users.PASSWORD);
        Browser there = new Browser().signIn(user.email, Users.PASSWORD);
        here.get("/settings/password");
        here.post("/settings/password", "currentPassword", "wrong password here", "newPassword",
                "the next passphrase").then().statusCode(303);
        there.get("/settings/profile").then().statusCode(200);
        assertTrue(here.get("/settings/password").asString().contains("not your current password"));

        here.post("/settings/password", "currentPassword", Users.PASSWORD, "newPassword", "the next passphrase")
                .then().statusCode(303);
        here.get("/settings/profile").then().statusCode(200);
        there.get("/settings/profile").then().statusCode(303);
        assertFalse(mailbox.deliverAndRead(user.email).isEmpty(), "the owner is told by mail");
    }

    @Test
    void loginIsThrottledPerAddressAndClientForAWindowNotForever() {
        MutableClock clock = new MutableClock(Instant.now().plus(Duration.ofDays(3)));
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        User user = users.active("throttle");
        Browser attacker = new Browser();
        for (int i = 0; i < 5; i++) {
            attacker.post("/login", "email", user.email, "password", "guess number " + i).then().statusCode(303);
        }
        Response refused = attacker.post("/login", "email", user.email, "password", Users.PASSWORD);
        refused.then().statusCode(429).body(containsString("Too many failed sign-in attempts"));
        assertNotNull(refused.header("Retry-After"));
        assertEquals(null, attacker.cookie("portal_session"), "even the right password waits");

        clock.advance(Duration.ofMinutes(16));
        attacker.post("/login", "email", user.email, "password", Users.PASSWORD).then().statusCode(303)
                .header("Location", endsWith("/dashboard"));
    }

    @Inject
    LoginService logins;

    @Test
    void manyFailuresFromOneClientSlowThatClientOnly() {
        MutableClock clock = new MutableClock(Instant.now().plus(Duration.ofDays(10)));
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        User victim = users.active("victim");
        String sprayer = "198.51.100.7";
        for (int i = 0; i < 20; i++) {
            assertTrue(logins.attempt(Users.uniqueEmail("spray"), "wrong password " + i, sprayer)
                    instanceof LoginService.BadCredentials);
        }
        assertTrue(logins.attempt(victim.email, Users.PASSWORD, sprayer) instanceof LoginService.Throttled);
        assertTrue(logins.attempt(victim.email, Users.PASSWORD, "198.51.100.8") instanceof LoginService.Confirmed,
                "the victim elsewhere is not locked out");
    }

    private static Long sessionIdOf(Browser browser) {
        String hash = Tokens.sha256(browser.cookie("portal_session"));
        return QuarkusTransaction.requiringNew().call(() -> UserSession.<UserSession>find("tokenHash", hash)
                .firstResult().id);
    }
}
