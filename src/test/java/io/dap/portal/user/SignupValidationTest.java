package io.dap.portal.user;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.dap.portal.support.Browser;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.Users;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class SignupValidationTest {

    @Inject
    Mailbox mailbox;

    @Inject
    Users users;

    @BeforeEach
    void clearMail() {
        mailbox.clear();
    }

    @Test
    void signingUpWithAKnownAddressAnswersExactlyLikeANewOne() {
        User existing = users.active("known");
        String hashBefore = existing.passwordHash;
        String fresh = Users.uniqueEmail("fresh");

        Response known = new Browser().post("/signup", "email", existing.email, "displayName", "Intruder",
                "password", "another long passphrase");
        Response unknown = new Browser().post("/signup", "email", fresh, "displayName", "Fresh", "password",
                "another long passphrase");

        assertEquals(unknown.statusCode(), known.statusCode());
        assertEquals(unknown.header("Location"), known.header("Location"));
        String knownPage = new BrowserWithCookies(known).page();
        String unknownPage = new BrowserWithCookies(unknown).page();
        assertEquals(unknownPage.replace(fresh, "ADDRESS"), knownPage.replace(existing.email, "ADDRESS"));

        Mail toOwner = mailbox.single(existing.email);
        assertTrue(toOwner.getSubject().contains("tried to sign up"), toOwner.getSubject());
        assertEquals(1, countUsers(existing.email));
        User after = QuarkusTransaction.requiringNew().call(() -> User.findByEmail(existing.email).orElseThrow());
        assertEquals(hashBefore, after.passwordHash, "the existing password is untouched");
        assertEquals("Test known", after.displayName);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed email        | not-an-email             | Someone | a long enough passphrase | email    | like name@example.com",
            "email without domain   | someone@                 | Someone | a long enough passphrase | email    | like name@example.com",
            "look-alike unicode     | аdmin@example.com        | Someone | a long enough passphrase | email    | like name@example.com",
            "empty name             | GOOD                     | ''      | a long enough passphrase | displayName | Enter the name",
    })
    void badInputComesBackWithAMessageAndCreatesNothing(String ignored, String email, String name, String password,
            String field, String message) {
        String address = email.equals("GOOD") ? Users.uniqueEmail("bad-input") : email;
        String pw = switch (password) {
            case "LONG65" -> "x".repeat(30) + "y".repeat(35);
            case "BYTES" -> "é".repeat(40);
            default -> password;
        };
        Browser browser = new Browser();
        Response response = browser.post("/signup", "email", address, "displayName", name, "password", pw);
        response.then().statusCode(303).header("Location", endsWith("/signup"));
        String page = browser.follow(response).then().statusCode(200).extract().asString();
        assertTrue(page.contains(message), () -> "expected '" + message + "' in the form");
        assertTrue(page.contains("id=\"f-" + field + "-error\""), "the message sits next to " + field);
        assertTrue(page.contains("aria-invalid=\"true\""));
        assertTrue(!page.contains(pw) || pw.isEmpty(), "a password is never refilled");
        assertEquals(0, countUsers(address.strip().toLowerCase(java.util.Locale.ROOT)));
        assertTrue(mailbox.deliverAndRead(address).isEmpty());
    }

    /** The password is chosen where the address is proved (R18): the activation page checks it. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "short password    | elevenchars  | at least 12",
            "overlong password | LONG65       | at most 64",
            "over 72 bytes     | BYTES        | 72 bytes",
            "common password   | password1234 | too common",
            "the address       | ADDRESS      | too common",
    })
    void aBadPasswordOnTheActivationPageComesBackWithAMessageAndActivatesNothing(String ignored, String password,
            String message) {
        String address = Users.uniqueEmail("bad-password");
        new Browser().post("/signup", "email", address, "displayName", "Someone");
        String link = Mailbox.linkPath(mailbox.single(address), "/activate/");
        String pw = switch (password) {
            case "LONG65" -> "x".repeat(30) + "y".repeat(35);
            case "BYTES" -> "é".repeat(40);
            case "ADDRESS" -> address;
            default -> password;
        };
        Browser browser = new Browser();
        browser.get(link);
        Response response = browser.post(link, "displayName", "Someone", "password", pw);
        response.then().statusCode(303).header("Location", endsWith(link));
        String page = browser.follow(response).then().statusCode(200).extract().asString();
        assertTrue(page.contains(message), () -> "expected '" + message + "' in the form");
        assertTrue(page.contains("id=\"f-password-error\""), "the message sits next to the password");
        assertTrue("ADDRESS".equals(password) || !page.contains(pw), "a password is never refilled");
        User stored = QuarkusTransaction.requiringNew().call(() -> User.findByEmail(address).orElseThrow());
        assertEquals(User.Status.PENDING_ACTIVATION, stored.status);
        assertEquals(null, stored.passwordHash);
    }

    @Test
    void anOverlongEmailIsRefused() {
        String address = "a".repeat(250) + "@example.org";
        Browser browser = new Browser();
        Response response = browser.post("/signup", "email", address, "displayName", "Long", "password",
                "a long enough passphrase");
        browser.follow(response).then().body(containsString("at most 254 characters"));
        assertEquals(0, countUsers(address));
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefusedAndChangesNothing() {
        String address = Users.uniqueEmail("csrf");
        Browser browser = new Browser();
        browser.get("/signup");
        browser.postRaw("/signup", Map.of("email", address, "displayName", "Csrf", "password",
                "a long enough passphrase")).then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("Bad request"));
        browser.postRaw("/signup", Map.of("email", address, "displayName", "Csrf", "password",
                "a long enough passphrase", "csrf_token", "forged")).then().statusCode(400);
        assertEquals(0, countUsers(address));
    }

    static long countUsers(String email) {
        return QuarkusTransaction.requiringNew().call(() -> User.count("email", email));
    }

    /** Reads the page a redirect leads to in the browser that received it (the flash cookie travels along). */
    private static final class BrowserWithCookies {
        private final Response redirect;

        BrowserWithCookies(Response redirect) {
            this.redirect = redirect;
        }

        String page() {
            return io.restassured.RestAssured.given().cookies(redirect.cookies()).redirects().follow(false)
                    .get(redirect.header("Location").replaceFirst("^https?://[^/]+", "")).then().statusCode(200)
                    .extract().asString()
                    .replaceAll("name=\"csrf_token\" value=\"[^\"]+\"", "");
        }
    }
}
