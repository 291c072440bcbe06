package io.dap.portal.twofactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

/** Codes as authenticator apps make them (RFC 6238's SHA-1 vectors), and one step of drift either way. */
class TotpTest {

    private static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void codesMatchTheRfcTestVectors() {
        // RFC 6238 appendix B, SHA-1, last six of the eight digits.
        assertEquals("287082", Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(59))));
        assertEquals("081804", Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(1111111109))));
        assertEquals("050471", Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(1111111111))));
        assertEquals("005924", Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(1234567890))));
        assertEquals("279037", Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(2000000000))));
    }

    @Test
    void oneStepOfDriftEitherWayIsAcceptedAndNoMore() {
        Instant now = Instant.ofEpochSecond(1_700_000_015);
        long step = Totp.step(now);
        for (long offset = -1; offset <= 1; offset++) {
            OptionalLong matched = Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, step + offset), now);
            assertEquals(OptionalLong.of(step + offset), matched, "offset " + offset);
        }
        assertFalse(Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, step - 2), now).isPresent());
        assertFalse(Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, step + 2), now).isPresent());
    }

    @Test
    void onlySixDigitsAreACode() {
        assertEquals("123456", Totp.normalise(" 123 456 "));
        assertNull(Totp.normalise("12345"));
        assertNull(Totp.normalise("1234567"));
        assertNull(Totp.normalise("12345a"));
        assertNull(Totp.normalise("١٢٣٤٥٦"));
        assertNull(Totp.normalise(null));
        assertFalse(Totp.matchingStep(RFC_SECRET, "", Instant.now()).isPresent());
    }

    @Test
    void base32RoundTripsAndReadsWhatPeopleType() {
        byte[] secret = Totp.newSecret();
        String text = Base32.encode(secret);
        assertEquals(32, text.length());
        assertTrue(text.matches("[A-Z2-7]+"));
        assertEquals(new String(secret, StandardCharsets.ISO_8859_1),
                new String(Base32.decode(text.toLowerCase().replaceAll("(.{4})", "$1 ")), StandardCharsets.ISO_8859_1));
        assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Base32.encode(RFC_SECRET));
    }

    @Test
    void recoveryCodesAreLongRandomAndForgivingToType() {
        String code = RecoveryCode.newCode();
        assertTrue(code.matches("[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}"), code);
        assertEquals(RecoveryCode.hashOf(7L, code), RecoveryCode.hashOf(7L, " " + code.toUpperCase().replace("-", " ")));
        assertFalse(RecoveryCode.hashOf(7L, code).equals(RecoveryCode.hashOf(8L, code)), "bound to its user");
        assertNull(RecoveryCode.hashOf(7L, code.substring(1)));
        assertNull(RecoveryCode.hashOf(7L, "123456"));
    }
}
