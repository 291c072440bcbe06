package io.dap.portal.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.YearMonth;

import io.dap.portal.billing.CardNumber.CardCheck;
import io.dap.portal.billing.CardNumber.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CardNumberTest {

    // Fixed clock so expiry tests do not depend on when they run.
    private static final YearMonth NOW = YearMonth.of(2025, 11);

    private static CardCheck validExpiry(String number) {
        return CardNumber.check(number, 12, 2027, NOW);
    }

    @ParameterizedTest
    @CsvSource({
            "4242424242424242, Visa, 4242",
            "4000056655665556, Visa, 5556",
            "4222222222222, Visa, 2222",
            "5555555555554444, Mastercard, 4444",
            "5105105105105100, Mastercard, 5100",
            "2223003122003222, Mastercard, 3222",
            "378282246310005, American Express, 0005",
            "371449635398431, American Express, 8431",
            "6011111111111117, Discover, 1117",
            "6011000990139424, Discover, 9424",
            "6445644564456445, Discover, 6445",
            "6500000000000002, Discover, 0002",
            "3056930009020004, Card, 0004",
            "3566002020360505, Card, 0505",
            "6200000000000005, Card, 0005"})
    void knownTestNumbers(String number, String brand, String last4) {
        CardCheck c = validExpiry(number);
        assertTrue(c.isValid(), () -> c.errors().toString());
        assertEquals(brand, c.brand());
        assertEquals(last4, c.last4());
        assertEquals(YearMonth.of(2027, 12), c.expiry());
        assertEquals(12, c.expMonth());
        assertEquals(2027, c.expYear());
        assertTrue(c.errors().isEmpty());
    }

    @Test
    void mastercardTwoSeriesBoundaries() {
        // 2221 and 2720 are the edges of the 2-series range; 2220 and 2721 fall outside it.
        assertEquals(CardNumber.MASTERCARD, validExpiry(withLuhn("222100000000000")).brand());
        assertEquals(CardNumber.MASTERCARD, validExpiry(withLuhn("272099999999999")).brand());
        assertEquals(CardNumber.OTHER, validExpiry(withLuhn("222099999999999")).brand());
        assertEquals(CardNumber.OTHER, validExpiry(withLuhn("272100000000000")).brand());
        assertEquals(CardNumber.OTHER, validExpiry(withLuhn("560000000000000")).brand());
        assertEquals(CardNumber.DISCOVER, validExpiry(withLuhn("649000000000000")).brand());
        assertEquals(CardNumber.OTHER, validExpiry(withLuhn("643000000000000")).brand());
    }

    @ParameterizedTest
    @ValueSource(strings = {"4242 4242 4242 4242", "4242-4242-4242-4242", " 4242 4242-4242 4242 "})
    void spacesAndDashesAreIgnored(String number) {
        CardCheck c = validExpiry(number);
        assertTrue(c.isValid());
        assertEquals("Visa", c.brand());
        assertEquals("4242", c.last4());
    }

    @Test
    void luhnFailure() {
        CardCheck c = validExpiry("4242424242424241");
        assertFalse(c.isValid());
        assertEquals("The card number is not valid; please check it for typos.", c.error(Field.NUMBER));
        assertNull(c.brand());
        assertNull(c.last4());
    }

    @Test
    void lengthBounds() {
        String lengthMsg = "The card number must be between 12 and 19 digits long.";
        assertEquals(lengthMsg, validExpiry("42424242424").error(Field.NUMBER)); // 11
        assertEquals(lengthMsg, validExpiry("4242 4242 42").error(Field.NUMBER));
        assertEquals(lengthMsg, validExpiry(withLuhn("4242424242424242424")).error(Field.NUMBER)); // 20
        assertEquals(lengthMsg, validExpiry("4".repeat(200)).error(Field.NUMBER));
        assertTrue(validExpiry(withLuhn("42424242424")).isValid()); // 12
        assertTrue(validExpiry(withLuhn("424242424242424242")).isValid()); // 19
    }

    @ParameterizedTest
    @ValueSource(strings = {"4242424242424242x", "4242.4242.4242.4242", "4242 4242 4242 424O", "٤٢٤٢٤٢٤٢٤٢٤٢٤٢٤٢",
            "+4242424242424242"})
    void nonDigitsRejected(String number) {
        assertEquals("The card number may only contain digits, spaces and dashes.",
                validExpiry(number).error(Field.NUMBER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void emptyNumber(String number) {
        assertEquals("Enter the card number.", validExpiry(number).error(Field.NUMBER));
        assertEquals("Enter the card number.", validExpiry(null).error(Field.NUMBER));
    }

    @Test
    void currentMonthAccepted() {
        CardCheck c = CardNumber.check("4242424242424242", 11, 2025, NOW);
        assertTrue(c.isValid());
        assertEquals(YearMonth.of(2025, 11), c.expiry());
    }

    @Test
    void expiredMonthRejected() {
        CardCheck c = CardNumber.check("4242424242424242", 10, 2025, NOW);
        assertFalse(c.isValid());
        assertEquals("The card has expired.", c.error(Field.EXP_MONTH));
        assertNull(c.error(Field.NUMBER));
        assertNull(c.last4());
    }

    @Test
    void expiredYearRejected() {
        CardCheck c = CardNumber.check("4242424242424242", 12, 2024, NOW);
        assertEquals("The card has expired.", c.error(Field.EXP_YEAR));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 13, -1})
    void invalidMonth(int month) {
        CardCheck c = CardNumber.check("4242424242424242", month, 2027, NOW);
        assertFalse(c.isValid());
        assertEquals("Enter an expiry month between 1 and 12.", c.error(Field.EXP_MONTH));
        assertNull(c.error(Field.EXP_YEAR));
    }

    @Test
    void twoDigitYearAndImplausibleYears() {
        assertEquals(YearMonth.of(2027, 3), CardNumber.check("4242424242424242", 3, 27, NOW).expiry());
        assertEquals("The card has expired.", CardNumber.check("4242424242424242", 3, 24, NOW).error(Field.EXP_YEAR));
        assertEquals("The expiry year is too far in the future.",
                CardNumber.check("4242424242424242", 3, 2205, NOW).error(Field.EXP_YEAR));
        assertEquals("Enter a valid expiry year.", CardNumber.check("4242424242424242", 3, 202, NOW).error(Field.EXP_YEAR));
        assertEquals("Enter a valid expiry year.", CardNumber.check("4242424242424242", 3, -5, NOW).error(Field.EXP_YEAR));
    }

    @Test
    void errorsReportedForEveryFieldAtOnce() {
        CardCheck c = CardNumber.check("1234", 13, 2020, NOW);
        assertEquals(3, c.errors().size());
        assertTrue(c.errors().keySet().containsAll(java.util.EnumSet.allOf(Field.class)));
    }

    @Test
    void fullNumberNeverExposed() {
        CardCheck ok = validExpiry("4242 4242 4242 4242");
        CardCheck bad = validExpiry("4242424242424241");
        for (CardCheck c : new CardCheck[] {ok, bad}) {
            String s = c.toString() + c.errors();
            assertFalse(s.contains("42424242"), s);
            assertFalse(s.contains("4242 4242"), s);
        }
        assertTrue(ok.toString().contains("4242"));
    }

    /** Appends the Luhn check digit so boundary tests can build numbers with arbitrary prefixes. */
    private static String withLuhn(String payload) {
        for (char d = '0'; d <= '9'; d++) {
            String candidate = payload + d;
            if (CardNumber.luhnValid(candidate.toCharArray())) {
                return candidate;
            }
        }
        throw new AssertionError("unreachable");
    }
}
