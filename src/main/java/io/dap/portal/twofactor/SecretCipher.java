package io.dap.portal.twofactor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.dap.portal.web.PortalConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;

/**
 * Encrypts TOTP secrets at rest with AES-256-GCM and the key of {@code portal.two-factor.encryption-key}.
 * Each secret is bound to its user (associated data), so a ciphertext copied onto another user's
 * row does not decrypt. Checked at start-up: production refuses to start without a key of its own.
 */
@Startup
@ApplicationScoped
public class SecretCipher {

    /** The dev and test profiles' keys from application.properties: public, so never for production. */
    static final Set<String> PUBLIC_KEYS = Set.of("ZGV2LW9ubHkgdHdvLWZhY3RvciBrZXksIG5vdCBzZWM=",
            "dGVzdC1vbmx5IHR3by1mYWN0b3Iga2V5LCBwdWJsaWM=");

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    PortalConfig config;

    private SecretKey key;

    @PostConstruct
    void load() {
        key = parseKey(config.twoFactor().encryptionKey(), LaunchMode.current() == LaunchMode.NORMAL);
    }

    /** The configured key, or a start-up failure that says what to set. */
    static SecretKey parseKey(Optional<String> configured, boolean production) {
        String value = configured.map(String::strip).orElse("");
        String how = " Set portal.two-factor.encryption-key (environment: PORTAL_TWO_FACTOR_ENCRYPTION_KEY) to 32"
                + " random bytes in base64, e.g. the output of: openssl rand -base64 32";
        if (value.isEmpty()) {
            throw new IllegalStateException("No key to encrypt two-factor secrets with." + how);
        }
        if (production && PUBLIC_KEYS.contains(value)) {
            throw new IllegalStateException("The two-factor encryption key is the public development key." + how);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The two-factor encryption key is not valid base64." + how);
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("The two-factor encryption key has " + bytes.length
                    + " bytes instead of 32." + how);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    public String encrypt(Long userId, byte[] secret) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(userId));
            byte[] sealed = cipher.doFinal(secret);
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce)
                    .put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JRE", e);
        }
    }

    /** Fails (never returns a wrong secret) when the key changed or the row was tampered with. */
    public byte[] decrypt(Long userId, String stored) {
        try {
            byte[] all = Base64.getDecoder().decode(stored);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(userId));
            return cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A two-factor secret could not be decrypted: was the key changed?", e);
        }
    }

    private static byte[] associatedData(Long userId) {
        return ("two-factor secret of user " + userId).getBytes(StandardCharsets.UTF_8);
    }
}
