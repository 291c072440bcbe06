package io.dap.portal.web;

import java.text.Normalizer;

/**
 * One line of text a person typed: a name, a label, a description, a reason. Read the same way on
 * every form and in the API: Unicode-normalised (NFC, so the same word is stored the same way),
 * trimmed, at most a given number of characters, and refused with a message for the field when it
 * carries a line break, a control character (NUL included) or an invisible bidirectional override
 * (which can make text read differently from what it is). Such a value can go into a page, a
 * column, an audit entry or a mail subject as it is.
 *
 * <p>{@link #lines} reads the few fields that are meant to hold several lines (a postal address, the
 * reason for an impersonation): line breaks are kept as LF, everything else is refused the same way.
 */
public record SingleLineText(String value, String problem) {

    public static final String CONTROL_MESSAGE = "Use plain text on one line: no line breaks, tabs or invisible"
            + " control characters.";
    public static final String LINES_CONTROL_MESSAGE = "Use plain text: no tabs or invisible control characters.";

    /** The value (cleaned) and, when it cannot be used, why. A missing value reads as empty. */
    public static SingleLineText of(String raw, int maxLength) {
        String value = clean(raw, false);
        return new SingleLineText(value, problem(value, maxLength, false));
    }

    /** Several lines: CRLF and CR become LF; other control characters are refused. */
    public static SingleLineText lines(String raw, int maxLength) {
        String value = clean(raw, true);
        return new SingleLineText(value, problem(value, maxLength, true));
    }

    public boolean valid() {
        return problem == null;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** Records the problem (if any) against a form field and returns the value, for refill. */
    public String check(FormErrors errors, String field) {
        if (problem != null) {
            errors.add(field, problem);
        }
        return value;
    }

    private static String clean(String raw, boolean lines) {
        if (raw == null) {
            return "";
        }
        String value = raw;
        if (lines) {
            value = value.replace("\r\n", "\n").replace('\r', '\n');
        }
        // NFC cannot mend an unpaired surrogate; the check below refuses it.
        if (!Normalizer.isNormalized(value, Normalizer.Form.NFC) && !hasUnpairedSurrogate(value)) {
            value = Normalizer.normalize(value, Normalizer.Form.NFC);
        }
        return trim(value);
    }

    /** Whitespace at either end, including the no-break spaces String.strip() keeps. */
    private static String trim(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && blank(value.charAt(start))) {
            start++;
        }
        while (end > start && blank(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    private static boolean blank(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private static String problem(String value, int maxLength, boolean lines) {
        if (hasUnpairedSurrogate(value)) {
            return "This text contains characters that are not valid Unicode.";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (lines && c == '\n') {
                continue;
            }
            if (refused(c)) {
                return lines ? LINES_CONTROL_MESSAGE : CONTROL_MESSAGE;
            }
        }
        if (value.length() > maxLength) {
            return "Use at most " + maxLength + " characters.";
        }
        return null;
    }

    /**
     * C0 and C1 controls (NUL, tab, CR, LF, DEL …), the Unicode line and paragraph separators, and
     * the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
     */
    static boolean refused(char c) {
        return Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029'
                || c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069';
    }

    private static boolean hasUnpairedSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
