package io.dap.portal.twofactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import jakarta.inject.Inject;

/** TOTP secrets at rest: AES-GCM under a configured key, bound to their user; production refuses a missing or public key. */
@QuarkusTest
class SecretCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Inject
    SecretCipher cipher;

    @Test
    void productionRefusesToStartWithoutAKeyOfItsOwn() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> SecretCipher.parseKey(Optional.empty(), true));
        assertTrue(missing.getMessage().contains("PORTAL_TWO_FACTOR_ENCRYPTION_KEY"), missing.getMessage());
        assertTrue(missing.getMessage().contains("openssl rand -base64 32"), missing.getMessage());
        assertThrows(IllegalStateException.class, () -> SecretCipher.parseKey(Optional.of("  "), false));
        String testKey = ConfigProvider.getConfig().getValue("portal.two-factor.encryption-key", String.class);
        assertTrue(SecretCipher.PUBLIC_KEYS.contains(testKey), "the test profile's key is known to be public");
        IllegalStateException published = assertThrows(IllegalStateException.class,
                () -> SecretCipher.parseKey(Optional.of(testKey), true));
        assertTrue(published.getMessage().contains("public development key"));
        SecretCipher.parseKey(Optional.of(testKey), false);
        assertThrows(IllegalStateException.class, () -> SecretCipher.parseKey(Optional.of("not base64 at all!"), true));
        IllegalStateException shortKey = assertThrows(IllegalStateException.class,
                () -> SecretCipher.parseKey(Optional.of(Base64.getEncoder().encodeToString(new byte[16])), true));
        assertTrue(shortKey.getMessage().contains("16 bytes instead of 32"));
        SecretCipher.parseKey(Optional.of(KEY), true);
    }

    @Test
    void aSecretDecryptsForItsOwnUserOnlyAndNeverTwiceTheSameCiphertext() {
        byte[] secret = Totp.newSecret();
        String sealed = cipher.encrypt(41L, secret);
        assertArrayEquals(secret, cipher.decrypt(41L, sealed));
        assertNotEquals(sealed, cipher.encrypt(41L, secret), "a fresh nonce each time");
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(42L, sealed), "copied onto another user");
        byte[] bytes = Base64.getDecoder().decode(sealed);
        bytes[bytes.length - 1] ^= 1;
        String tampered = Base64.getEncoder().encodeToString(bytes);
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(41L, tampered));
    }
}
