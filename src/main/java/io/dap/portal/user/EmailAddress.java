package io.dap.portal.user;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Email addresses as the portal compares them: trimmed and lower-cased with Locale.ROOT.
 * The syntax check is deliberately plain ASCII: look-alike Unicode addresses are refused
 * rather than silently treated as someone else's.
 */
public final class EmailAddress {

    public static final int MAX_LENGTH = 254;

    private static final Pattern LOCAL = Pattern.compile("[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

    private EmailAddress() {
    }

    public static String normalise(String raw) {
        return raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
    }

    /** Null when the normalised address is acceptable, else the message to show next to the field. */
    public static String problem(String normalised) {
        if (normalised.isEmpty()) {
            return "Enter your email address.";
        }
        if (normalised.length() > MAX_LENGTH) {
            return "An email address has at most " + MAX_LENGTH + " characters.";
        }
        int at = normalised.lastIndexOf('@');
        if (at <= 0 || at == normalised.length() - 1) {
            return "Enter an email address like name@example.com.";
        }
        String local = normalised.substring(0, at);
        String domain = normalised.substring(at + 1);
        if (local.length() > 64 || !LOCAL.matcher(local).matches() || !DOMAIN.matcher(domain).matches()) {
            return "Enter an email address like name@example.com.";
        }
        return null;
    }
}
