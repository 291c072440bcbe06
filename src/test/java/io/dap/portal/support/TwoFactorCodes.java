package io.dap.portal.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.twofactor.Base32;
import io.dap.portal.twofactor.SecretCipher;
import io.dap.portal.twofactor.Totp;
import io.dap.portal.twofactor.TwoFactor;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.restassured.response.Response;

/**
 * An authenticator app for tests: reads the secret off the enrolment page (as a person would type
 * it) and computes codes for any moment; or enables a second factor straight in the database.
 */
@ApplicationScoped
public class TwoFactorCodes {

    private static final Pattern SECRET = Pattern.compile("<code class=\"mono secret\"[^>]*>([A-Z2-7 ]+)</code>");
    private static final Pattern RECOVERY = Pattern.compile("<li><code class=\"mono\">([0-9a-z]{4}(?:-[0-9a-z]{4}){3})</code></li>");

    @Inject
    SecretCipher cipher;

    @Inject
    TimeSource time;

    /** What enrolling through the pages produced. */
    public record Enrolled(byte[] secret, List<String> recoveryCodes) {
    }

    /** Settings › Two-factor as a person uses it: set up, read the key, confirm with a code and the password. */
    public Enrolled enrol(Browser browser, String password) {
        assertEquals(303, browser.post("/settings/two-factor/setup").statusCode());
        byte[] secret = secretOn(browser.get("/settings/two-factor").then().statusCode(200).extract().asString());
        Response enabled = browser.post("/settings/two-factor/enable", "code", code(secret, time.now()), "password",
                password);
        assertEquals(200, enabled.statusCode(), "enrolment refused");
        return new Enrolled(secret, recoveryCodesOn(enabled.asString()));
    }

    public static byte[] secretOn(String page) {
        Matcher matcher = SECRET.matcher(page);
        assertTrue(matcher.find(), "no secret on the page");
        return Base32.decode(matcher.group(1));
    }

    public static List<String> recoveryCodesOn(String page) {
        List<String> codes = new ArrayList<>();
        Matcher matcher = RECOVERY.matcher(page);
        while (matcher.find()) {
            codes.add(matcher.group(1));
        }
        return codes;
    }

    /** The code an app shows at that moment. */
    public static String code(byte[] secret, Instant at) {
        return Totp.code(secret, Totp.step(at));
    }

    /** The code of the step after {@code at}: accepted now (one step of drift) and newer than any used so far. */
    public static String nextCode(byte[] secret, Instant at) {
        return Totp.code(secret, Totp.step(at) + 1);
    }

    /** Password, then the code of this moment: signed in as a person with a second factor. */
    public Browser signIn(Browser browser, User user, byte[] secret) {
        Response password = browser.post("/login", "email", user.email, "password", Users.PASSWORD);
        assertTrue(password.header("Location").endsWith("/login/code"), password.header("Location"));
        Response code = browser.post("/login/code", "code", code(secret, time.now()));
        assertEquals(303, code.statusCode());
        assertTrue(!code.header("Location").contains("/login"), "code refused: " + code.header("Location"));
        return browser;
    }

    /** A second factor switched on directly, for tests about what it guards rather than how it is set up. */
    @Transactional
    public byte[] enableDirect(User user) {
        byte[] secret = Totp.newSecret();
        TwoFactor row = new TwoFactor();
        row.userId = user.id;
        row.secretCiphertext = cipher.encrypt(user.id, secret);
        row.enrolmentStartedAt = time.now();
        row.enabledAt = time.now();
        row.persist();
        return secret;
    }
}
