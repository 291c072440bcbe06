package io.dap.portal.twofactor;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.dap.portal.web.Tokens;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A single-use code for when the authenticator is lost. Shown once; only a hash is stored. 80
 * random bits each, so the unsalted-by-secret SHA-256 cannot be reversed by trying them all.
 */
@Entity
@Table(name = "recovery_code")
public class RecoveryCode extends PanacheEntityBase {

    public static final int PER_USER = 10;
    /** Crockford's base32: no i, l, o or u to misread. */
    private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final int LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_id", nullable = false)
    public Long userId;

    @Column(name = "code_hash", nullable = false, length = 64)
    public String codeHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "used_at")
    public Instant usedAt;

    /** "7f3k-2m9q-x8cd-4hwn": four groups of four, as shown to the user. */
    public static String newCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0 && i % 4 == 0) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** The hash of a typed code, forgiving case, spaces, hyphens and the look-alikes i, l and o; null if it cannot be one. */
    public static String hashOf(Long userId, String typed) {
        if (typed == null) {
            return null;
        }
        StringBuilder clean = new StringBuilder();
        for (char c : typed.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == ' ' || c == '-') {
                continue;
            }
            char mapped = c == 'i' || c == 'l' ? '1' : c == 'o' ? '0' : c;
            if (ALPHABET.indexOf(mapped) < 0) {
                return null;
            }
            clean.append(mapped);
        }
        return clean.length() == LENGTH ? Tokens.sha256("recovery:" + userId + ":" + clean) : null;
    }

    // Helpers

    /** Single use under any number of simultaneous posts: exactly one caller changes the row. */
    public static boolean consume(Long userId, String codeHash, Instant now) {
        return update("usedAt = ?1 where userId = ?2 and codeHash = ?3 and usedAt is null", now, userId, codeHash) == 1;
    }

    public static long unusedOf(Long userId) {
        return count("userId = ?1 and usedAt is null", userId);
    }
}
