package io.dap.portal.twofactor;

import static io.dap.portal.support.TwoFactorCodes.code;
import static io.dap.portal.support.TwoFactorCodes.nextCode;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.session.LoginService;
import io.dap.portal.session.UserSession;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.TwoFactorCodes;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.Tokens;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** R19: enrolment, the code step of sign-in, recovery codes, turning it off, all through the pages. */
@QuarkusTest
class TwoFactorTest {

    @Inject
    Users users;

    @Inject
    Mailbox mailbox;

    @Inject
    TwoFactorCodes codes;

    @Inject
    LoginService logins;

    private MutableClock clock;

    @BeforeEach
    void setUp() {
        mailbox.clear();
        // Each code counts once: tests move their own clock to the next 30-second step.
        clock = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
    }

    @Test
    void enrolmentShowsAQrCodeTheKeyAndALinkAndTurnsOnOnlyWithACurrentCodeAndThePassword() {
        User user = users.active("enrol");
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        browser.get("/settings/two-factor").then().statusCode(200).body(containsString("Set up two-factor sign-in"));
        browser.post("/settings/two-factor/setup").then().statusCode(303).header("Location", endsWith("/settings/two-factor"));

        Response page = browser.get("/settings/two-factor");
        String html = page.then().statusCode(200).extract().asString();
        byte[] secret = TwoFactorCodes.secretOn(html);
        String base32 = Base32.encode(secret);
        assertTrue(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr-code\""), "an inline QR code");
        assertTrue(html.contains("role=\"img\" aria-label=\"QR code to scan with your authenticator app\""));
        assertTrue(html.contains("href=\"otpauth://totp/Delegated-access%20portal:" + user.email.replace("@", "%40")
                + "?secret=" + base32 + "&amp;issuer=Delegated-access%20portal&amp;algorithm=SHA1&amp;digits=6&amp;period=30\""),
                "an otpauth link");
        // No script of its own: only the header menus' file (Escape closes them), which the page does not need.
        assertEquals(1, html.split("<script", -1).length - 1, "one script element");
        assertTrue(html.contains("<script src=\"/js/menus.js\" defer></script>"), "loaded from a file, not inline");
        assertFalse(page.header("Content-Security-Policy").contains("unsafe-inline"));
        // Looking again changes nothing: the same secret, stored encrypted only.
        assertEquals(base32, Base32.encode(TwoFactorCodes.secretOn(browser.get("/settings/two-factor").asString())));
        TwoFactor stored = row(user);
        assertNull(stored.enabledAt);
        assertFalse(stored.secretCiphertext.contains(base32));
        assertFalse(new String(Base64.getDecoder().decode(stored.secretCiphertext), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains(new String(secret, java.nio.charset.StandardCharsets.ISO_8859_1)));

        Response wrongCode = browser.post("/settings/two-factor/enable", "code", "000000".equals(code(secret, clock.instant()))
                ? "111111" : "000000", "password", Users.PASSWORD);
        wrongCode.then().statusCode(303);
        browser.follow(wrongCode).then().body(containsString("id=\"f-code-error\""));
        Response wrongPassword = browser.post("/settings/two-factor/enable", "code", code(secret, clock.instant()),
                "password", "not my password at all");
        browser.follow(wrongPassword).then().body(containsString("id=\"f-password-error\""));
        assertNull(row(user).enabledAt);
        assertTrue(audit(user, AuditAction.LOGIN_FAILED).stream()
                .anyMatch(e -> "wrong password to turn on two-factor sign-in".equals(e.detail)));

        Response enabled = browser.post("/settings/two-factor/enable", "code", code(secret, clock.instant()), "password",
                Users.PASSWORD);
        enabled.then().statusCode(200).header("Cache-Control", "no-store").body(containsString("the only time they are shown"));
        List<String> recovery = TwoFactorCodes.recoveryCodesOn(enabled.asString());
        assertEquals(10, recovery.size());
        assertEquals(10, new HashSet<>(recovery).size());
        assertNotNull(row(user).enabledAt);
        List<RecoveryCode> rows = QuarkusTransaction.requiringNew().call(() -> RecoveryCode.<RecoveryCode>list("userId", user.id));
        assertEquals(10, rows.size());
        for (RecoveryCode row : rows) {
            assertTrue(recovery.stream().noneMatch(c -> row.codeHash.contains(c) || row.codeHash.contains(c.replace("-", ""))));
        }
        // Shown once: the settings page never shows them again.
        String after = browser.get("/settings/two-factor").asString();
        assertTrue(recovery.stream().noneMatch(after::contains));
        assertTrue(after.contains("10 unused recovery codes left"));
        assertEquals("Two-factor sign-in is on", mailbox.single(user.email).getSubject());
        assertEquals(1, audit(user, AuditAction.TWO_FACTOR_ENABLED).size());
        // A second set-up cannot replace the secret behind the user's back.
        browser.post("/settings/two-factor/setup").then().statusCode(303);
        assertEquals(stored.secretCiphertext, row(user).secretCiphertext);
        assertNotNull(row(user).enabledAt);
    }

    @Test
    void signInAsksForTheCodeOnAServerSideStepThatIsNotASession() {
        User user = users.active("code-step");
        byte[] secret = codes.enableDirect(user);
        Browser browser = new Browser();
        Response password = browser.post("/login", "email", user.email, "password", Users.PASSWORD, "next",
                "/settings/sessions");
        password.then().statusCode(303).header("Location", endsWith("/login/code"));
        assertNull(browser.cookie("portal_session"), "half signed in is not signed in");
        String pending = browser.cookie("portal_sign_in");
        assertNotNull(pending);
        String setCookie = password.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("portal_sign_in=")).findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("Path=/login"), setCookie);
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> io.dap.portal.session.PendingSignIn.count("tokenHash", pending)));
        browser.get("/settings/sessions").then().statusCode(303).header("Location", containsString("/login?next="));
        browser.get("/login/code").then().statusCode(200).body(containsString("Enter your code"))
                .body(containsString("autocomplete=\"one-time-code\""));

        Response wrong = browser.post("/login/code", "code", "12345x");
        wrong.then().statusCode(303).header("Location", endsWith("/login/code"));
        browser.follow(wrong).then().body(containsString("That code is not right"));
        assertNull(browser.cookie("portal_session"));
        assertEquals(1, audit(user, AuditAction.TWO_FACTOR_FAILED).size());

        String right = code(secret, clock.instant());
        Response signedIn = browser.post("/login/code", "code", right);
        signedIn.then().statusCode(303).header("Location", endsWith("/settings/sessions"));
        assertNotNull(browser.cookie("portal_session"));
        assertNull(browser.cookie("portal_sign_in"), "the half-signed-in cookie is cleared");
        browser.get("/settings/sessions").then().statusCode(200);
        assertTrue(audit(user, AuditAction.LOGIN).stream().anyMatch(e -> "password and authenticator code".equals(e.detail)));

        // The spent half-signed-in state opens nothing again.
        Browser replay = new Browser();
        replay.setCookie("portal_sign_in", pending);
        replay.get("/login/code").then().statusCode(303).header("Location", endsWith("/login"));
        replay.post("/login/code", "code", nextCode(secret, clock.instant())).then().statusCode(303)
                .header("Location", endsWith("/login"));
        assertNull(replay.cookie("portal_session"));

        // The same code, in the same 30 seconds, after the password again: refused (a replay).
        Browser again = new Browser();
        again.post("/login", "email", user.email, "password", Users.PASSWORD).then().statusCode(303)
                .header("Location", endsWith("/login/code"));
        again.post("/login/code", "code", right).then().statusCode(303).header("Location", endsWith("/login/code"));
        assertNull(again.cookie("portal_session"));
        // The next step's code is accepted now (clock drift), and the step after that later.
        again.post("/login/code", "code", nextCode(secret, clock.instant())).then().statusCode(303)
                .header("Location", endsWith("/dashboard"));
        assertNotNull(again.cookie("portal_session"));
    }

    @Test
    void theCodeStepLastsMinutesAndNeedsItsCookie() {
        User user = users.active("slow");
        byte[] secret = codes.enableDirect(user);
        new Browser().get("/login/code").then().statusCode(303).header("Location", endsWith("/login"));
        Browser browser = new Browser();
        browser.post("/login", "email", user.email, "password", Users.PASSWORD);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        Response late = browser.post("/login/code", "code", code(secret, clock.instant()));
        late.then().statusCode(303).header("Location", endsWith("/login"));
        browser.follow(late).then().body(containsString("Enter your password again"));
        assertNull(browser.cookie("portal_session"));
        assertNull(browser.cookie("portal_sign_in"));
        Browser cookieless = new Browser();
        cookieless.post("/login/code", "code", code(secret, clock.instant())).then().statusCode(303)
                .header("Location", endsWith("/login"));
        assertNull(cookieless.cookie("portal_session"));
    }

    @Test
    void wrongCodesAreThrottledLikePasswordsAndPerPersonFromAnyClient() {
        clock.advance(Duration.ofDays(20));
        User user = users.active("guesser");
        byte[] secret = codes.enableDirect(user);
        Browser browser = new Browser();
        browser.post("/login", "email", user.email, "password", Users.PASSWORD);
        String right = code(secret, clock.instant());
        String wrong = right.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 5; i++) {
            browser.post("/login/code", "code", wrong).then().statusCode(303);
        }
        Response refused = browser.post("/login/code", "code", right);
        refused.then().statusCode(429).body(containsString("Too many wrong codes"));
        assertNotNull(refused.header("Retry-After"));
        assertNull(browser.cookie("portal_session"), "even the right code waits");
        assertFalse(audit(user, AuditAction.LOGIN_THROTTLED).isEmpty());

        clock.advance(Duration.ofMinutes(16));
        browser.post("/login", "email", user.email, "password", Users.PASSWORD).then().header("Location",
                endsWith("/login/code"));
        browser.post("/login/code", "code", code(secret, clock.instant())).then().statusCode(303)
                .header("Location", endsWith("/dashboard"));

        // Whoever types codes knows the password: from many clients, one person's codes still wait.
        User other = users.active("spread");
        byte[] others = codes.enableDirect(other);
        String notTheirs = code(others, clock.instant()).equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 10; i++) {
            assertTrue(logins.confirmCode(other, notTheirs, "198.51.100." + (100 + i), "sign-in")
                    instanceof LoginService.BadCredentials);
        }
        assertTrue(logins.confirmCode(other, code(others, clock.instant()), "198.51.100.200", "sign-in")
                instanceof LoginService.Throttled, "the right code waits too");
        clock.advance(Duration.ofMinutes(16));
        assertTrue(logins.confirmCode(other, code(others, clock.instant()), "198.51.100.201", "sign-in")
                instanceof LoginService.Confirmed);
    }

    @Test
    void aRecoveryCodeSignsInOnceAndTheOwnerIsTold() {
        User user = users.active("recovery");
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        TwoFactorCodes.Enrolled enrolled = codes.enrol(browser, Users.PASSWORD);
        mailbox.deliverAndRead(user.email);
        mailbox.clear();
        String recovery = enrolled.recoveryCodes().get(3);

        Browser lost = new Browser();
        lost.post("/login", "email", user.email, "password", Users.PASSWORD);
        Response in = lost.post("/login/code", "code", " " + recovery.toUpperCase().replace("-", " ") + " ");
        in.then().statusCode(303).header("Location", endsWith("/dashboard"));
        assertNotNull(lost.cookie("portal_session"));
        Mail told = mailbox.single(user.email);
        assertEquals("A recovery code was used", told.getSubject());
        assertTrue(told.getText().contains("9 unused codes remain"), told.getText());
        assertTrue(audit(user, AuditAction.LOGIN).stream().anyMatch(e -> "password and recovery code".equals(e.detail)));

        Browser again = new Browser();
        again.post("/login", "email", user.email, "password", Users.PASSWORD);
        again.post("/login/code", "code", recovery).then().statusCode(303).header("Location", endsWith("/login/code"));
        assertNull(again.cookie("portal_session"), "a recovery code works once");
        again.post("/login/code", "code", enrolled.recoveryCodes().get(4)).then().statusCode(303)
                .header("Location", endsWith("/dashboard"));
    }

    @Test
    void newRecoveryCodesNeedACodeAndReplaceTheOldOnes() {
        User user = users.active("regenerate");
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        TwoFactorCodes.Enrolled enrolled = codes.enrol(browser, Users.PASSWORD);
        Response refused = browser.post("/settings/two-factor/recovery-codes", "code", "");
        browser.follow(refused).then().body(containsString("id=\"f-code-error\""));

        Response fresh = browser.post("/settings/two-factor/recovery-codes", "code", nextCode(enrolled.secret(), clock.instant()));
        fresh.then().statusCode(200).header("Cache-Control", "no-store");
        List<String> replaced = TwoFactorCodes.recoveryCodesOn(fresh.asString());
        assertEquals(10, replaced.size());
        assertTrue(replaced.stream().noneMatch(enrolled.recoveryCodes()::contains));
        assertEquals(1, audit(user, AuditAction.RECOVERY_CODES_REGENERATED).size());

        Browser old = new Browser();
        old.post("/login", "email", user.email, "password", Users.PASSWORD);
        old.post("/login/code", "code", enrolled.recoveryCodes().get(0)).then().header("Location", endsWith("/login/code"));
        old.post("/login/code", "code", replaced.get(0)).then().header("Location", endsWith("/dashboard"));
    }

    @Test
    void turningItOffNeedsThePasswordAndACode() {
        User user = users.active("disable");
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        TwoFactorCodes.Enrolled enrolled = codes.enrol(browser, Users.PASSWORD);
        mailbox.deliverAndRead(user.email);
        mailbox.clear();
        clock.advance(Duration.ofSeconds(30));

        Response noPassword = browser.post("/settings/two-factor/disable", "password", "wrong password, sorry",
                "code", code(enrolled.secret(), clock.instant()));
        browser.follow(noPassword).then().body(containsString("id=\"f-password-error\""));
        Response noCode = browser.post("/settings/two-factor/disable", "password", Users.PASSWORD, "code", "99999x");
        browser.follow(noCode).then().body(containsString("id=\"f-code-error\""));
        assertNotNull(row(user).enabledAt);
        assertEquals(1, audit(user, AuditAction.TWO_FACTOR_FAILED).size());

        Response off = browser.post("/settings/two-factor/disable", "password", Users.PASSWORD, "code",
                code(enrolled.secret(), clock.instant()));
        off.then().statusCode(303);
        browser.follow(off).then().body(containsString("Two-factor sign-in is off"))
                .body(containsString("Set up two-factor sign-in"));
        assertNull(row(user));
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> RecoveryCode.count("userId", user.id)));
        assertEquals("Two-factor sign-in was turned off", mailbox.single(user.email).getSubject());
        assertEquals(1, audit(user, AuditAction.TWO_FACTOR_DISABLED).size());
        new Browser().post("/login", "email", user.email, "password", Users.PASSWORD).then()
                .header("Location", endsWith("/dashboard"));
    }

    @Test
    void aPasswordResetDoesNotSkipTheSecondFactor() {
        User user = users.active("reset-2fa");
        byte[] secret = codes.enableDirect(user);
        Browser browser = new Browser();
        browser.post("/forgot-password", "email", user.email);
        String link = Mailbox.linkPath(mailbox.single(user.email), "/reset-password/");
        browser.get(link).then().statusCode(200);
        Response reset = browser.post(link, "password", "a brand new passphrase");
        reset.then().statusCode(303).header("Location", endsWith("/login/code"));
        assertNull(browser.cookie("portal_session"));
        browser.post("/login/code", "code", code(secret, clock.instant())).then().statusCode(303)
                .header("Location", endsWith("/settings/credentials"));
        browser.get("/settings/credentials").then().statusCode(200).body(containsString("API tokens and SSH keys"));
    }

    @Test
    void aSecretTheKeyNoLongerOpensFailsLikeAWrongCodeAndRecoveryCodesStillWork() {
        User user = users.active("lost-key");
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        TwoFactorCodes.Enrolled enrolled = codes.enrol(browser, Users.PASSWORD);
        // As if the encryption key had changed: the stored ciphertext no longer decrypts.
        QuarkusTransaction.requiringNew().run(() -> TwoFactor.update("secretCiphertext = ?1 where userId = ?2",
                Base64.getEncoder().encodeToString(new byte[48]), user.id));

        Browser again = new Browser();
        again.post("/login", "email", user.email, "password", Users.PASSWORD);
        again.post("/login/code", "code", nextCode(enrolled.secret(), clock.instant())).then().statusCode(303)
                .header("Location", endsWith("/login/code"));
        assertNull(again.cookie("portal_session"));
        again.post("/login/code", "code", enrolled.recoveryCodes().get(0)).then().statusCode(303)
                .header("Location", endsWith("/dashboard"));
    }

    @Test
    void aSecondFactorIsNeverOfferedToAnotherUser() {
        User owner = users.active("mine");
        User other = users.active("theirs");
        byte[] secret = codes.enableDirect(owner);
        codes.enableDirect(other);
        Browser browser = new Browser();
        browser.post("/login", "email", other.email, "password", Users.PASSWORD);
        // The owner's current code is no use for the other person.
        browser.post("/login/code", "code", code(secret, clock.instant())).then().header("Location", endsWith("/login/code"));
        assertNull(browser.cookie("portal_session"));
        String hash = Tokens.sha256(browser.cookie("portal_sign_in"));
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> io.dap.portal.session.PendingSignIn.count("tokenHash", hash)));
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> UserSession.count("user.id", other.id)));
        browser.get("/settings/two-factor").then().statusCode(303).header("Location", containsString("/login"))
                .body(not(containsString("secret")));
    }

    private static TwoFactor row(User user) {
        return QuarkusTransaction.requiringNew().call(() -> TwoFactor.<TwoFactor>findById(user.id));
    }

    private static List<AuditEvent> audit(User user, AuditAction action) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list("userId = ?1 and action = ?2",
                user.id, action.name()));
    }
}
