package io.dap.portal.billing;

import java.time.YearMonth;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Validates a payment card typed into a form. Only the brand and last four digits leave this class;
 * the full number is never kept in any returned object.
 */
public final class CardNumber {

    public static final int MIN_DIGITS = 12;
    public static final int MAX_DIGITS = 19;
    // Typos such as 2205 for 2025 are more likely than a card valid for decades.
    static final int MAX_YEARS_AHEAD = 20;
    // Bounds the work done on a pasted blob; no real number with separators comes close.
    private static final int MAX_INPUT_CHARS = 64;

    public static final String VISA = "Visa";
    public static final String MASTERCARD = "Mastercard";
    public static final String AMEX = "American Express";
    public static final String DISCOVER = "Discover";
    public static final String OTHER = "Card";

    /** Form fields an error can be attached to. */
    public enum Field { NUMBER, EXP_MONTH, EXP_YEAR }

    private CardNumber() {
    }

    /**
     * Checks a card number and expiry.
     *
     * @param number   as typed; spaces and dashes are ignored
     * @param expMonth 1-12
     * @param expYear  four digits, or two digits meaning 20xx
     * @param now      the current month, passed in so tests can fix the clock
     */
    public static CardCheck check(String number, int expMonth, int expYear, YearMonth now) {
        EnumMap<Field, String> errors = new EnumMap<>(Field.class);
        String brand = null;
        String last4 = null;

        char[] digits = digitsOf(number, errors);
        if (digits != null) {
            try {
                if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) {
                    errors.put(Field.NUMBER, "The card number must be between " + MIN_DIGITS + " and " + MAX_DIGITS
                            + " digits long.");
                } else if (!luhnValid(digits)) {
                    errors.put(Field.NUMBER, "The card number is not valid; please check it for typos.");
                } else {
                    brand = brandOf(digits);
                    last4 = new String(digits, digits.length - 4, 4);
                }
            } finally {
                // Best effort: don't leave an extra copy of the number lying around in the heap.
                Arrays.fill(digits, '0');
            }
        }

        YearMonth expiry = checkExpiry(expMonth, expYear, now, errors);
        if (!errors.isEmpty()) {
            return new CardCheck(errors, null, null, null);
        }
        return new CardCheck(errors, brand, last4, expiry);
    }

    /** Returns the digits with separators removed, or null after recording an error. */
    private static char[] digitsOf(String number, Map<Field, String> errors) {
        if (number == null || number.isBlank()) {
            errors.put(Field.NUMBER, "Enter the card number.");
            return null;
        }
        if (number.length() > MAX_INPUT_CHARS) {
            errors.put(Field.NUMBER, "The card number must be between " + MIN_DIGITS + " and " + MAX_DIGITS
                    + " digits long.");
            return null;
        }
        char[] out = new char[number.length()];
        int n = 0;
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            // ASCII only: Character.isDigit would also let through e.g. Arabic-Indic digits.
            if (c >= '0' && c <= '9') {
                out[n++] = c;
            } else if (c != ' ' && c != '-') {
                Arrays.fill(out, '0');
                errors.put(Field.NUMBER, "The card number may only contain digits, spaces and dashes.");
                return null;
            }
        }
        char[] digits = Arrays.copyOf(out, n);
        Arrays.fill(out, '0');
        return digits;
    }

    static boolean luhnValid(char[] digits) {
        int sum = 0;
        boolean doubleIt = false;
        for (int i = digits.length - 1; i >= 0; i--) {
            int d = digits[i] - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    private static String brandOf(char[] digits) {
        int p2 = prefix(digits, 2);
        int p3 = prefix(digits, 3);
        int p4 = prefix(digits, 4);
        if (digits[0] == '4') {
            return VISA;
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return MASTERCARD;
        }
        if (p2 == 34 || p2 == 37) {
            return AMEX;
        }
        if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649)) {
            return DISCOVER;
        }
        return OTHER;
    }

    private static int prefix(char[] digits, int len) {
        int v = 0;
        for (int i = 0; i < len; i++) {
            v = v * 10 + (digits[i] - '0');
        }
        return v;
    }

    private static YearMonth checkExpiry(int month, int year, YearMonth now, Map<Field, String> errors) {
        boolean monthOk = month >= 1 && month <= 12;
        if (!monthOk) {
            errors.put(Field.EXP_MONTH, "Enter an expiry month between 1 and 12.");
        }
        // Cards print the year as two digits, so users often type it that way.
        int fullYear = year >= 0 && year <= 99 ? 2000 + year : year;
        if (fullYear < 1000 || fullYear > 9999) {
            errors.put(Field.EXP_YEAR, "Enter a valid expiry year.");
            return null;
        }
        if (fullYear < now.getYear()) {
            errors.put(Field.EXP_YEAR, "The card has expired.");
            return null;
        }
        if (fullYear > now.getYear() + MAX_YEARS_AHEAD) {
            errors.put(Field.EXP_YEAR, "The expiry year is too far in the future.");
            return null;
        }
        if (!monthOk) {
            return null;
        }
        YearMonth expiry = YearMonth.of(fullYear, month);
        // A card is valid through the last day of its expiry month, so the current month is still fine.
        if (expiry.isBefore(now)) {
            errors.put(Field.EXP_MONTH, "The card has expired.");
            return null;
        }
        return expiry;
    }

    /**
     * Outcome of {@link #check}: either errors per field, or the brand, last four digits and expiry.
     * Holds nothing that could reconstruct the card number.
     */
    public static final class CardCheck {
        private final Map<Field, String> errors;
        private final String brand;
        private final String last4;
        private final YearMonth expiry;

        private CardCheck(EnumMap<Field, String> errors, String brand, String last4, YearMonth expiry) {
            this.errors = Collections.unmodifiableMap(new EnumMap<>(errors));
            this.brand = brand;
            this.last4 = last4;
            this.expiry = expiry;
        }

        public boolean isValid() {
            return errors.isEmpty();
        }

        /** User-facing messages keyed by field; empty when valid. */
        public Map<Field, String> errors() {
            return errors;
        }

        /** The message for one field, or null. */
        public String error(Field field) {
            return errors.get(field);
        }

        /** Visa, Mastercard, American Express, Discover or Card; null when invalid. */
        public String brand() {
            return brand;
        }

        /** Last four digits; null when invalid. */
        public String last4() {
            return last4;
        }

        /** Expiry as a year-month (two-digit years expanded); null when invalid. */
        public YearMonth expiry() {
            return expiry;
        }

        public int expMonth() {
            return expiry == null ? 0 : expiry.getMonthValue();
        }

        public int expYear() {
            return expiry == null ? 0 : expiry.getYear();
        }

        @Override
        public String toString() {
            return isValid()
                    ? "CardCheck[" + brand + " ending " + last4 + ", expires " + expiry + "]"
                    : "CardCheck[errors=" + errors.keySet() + "]";
        }
    }
}
