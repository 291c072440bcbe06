package io.dap.portal.user;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Length rules and a list of common passwords; no composition rules (NIST SP 800-63B).
 * bcrypt reads at most 72 bytes, so longer passwords are refused instead of silently cut.
 */
@ApplicationScoped
public class PasswordPolicy {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 64;
    public static final int MAX_BCRYPT_BYTES = 72;

    private final Set<String> common = load();

    /** Null when acceptable, else the message to show next to the field. */
    public String problem(String password, String email) {
        if (password == null || password.isEmpty()) {
            return "Choose a password.";
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            return "Use at least " + MIN_LENGTH + " characters.";
        }
        if (length > MAX_LENGTH) {
            return "Use at most " + MAX_LENGTH + " characters.";
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BCRYPT_BYTES) {
            return "This password is too long once encoded (at most " + MAX_BCRYPT_BYTES
                    + " bytes); use fewer special characters.";
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (common.contains(lower) || (email != null && !email.isEmpty() && lower.equals(email))) {
            return "This password is too common or too easy to guess; choose another.";
        }
        if (password.codePoints().distinct().count() < 3) {
            return "This password is too easy to guess; choose another.";
        }
        return null;
    }

    private static Set<String> load() {
        Set<String> words = new HashSet<>();
        var stream = PasswordPolicy.class.getResourceAsStream("/common-passwords.txt");
        if (stream == null) {
            throw new IllegalStateException("common-passwords.txt is missing from the classpath");
        }
        try (var reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            reader.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.toLowerCase(Locale.ROOT)).forEach(words::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return words;
    }
}
