package io.dap.portal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SingleLineTextTest {

    @Test
    void trimsAndNormalisesToNfc() {
        SingleLineText text = SingleLineText.of("  Cafe\u0301 Ops \u00a0", 100);
        assertEquals("Caf\u00e9 Ops", text.value(), "one é, composed, and no surrounding spaces");
        assertNull(text.problem());
        assertEquals("", SingleLineText.of(null, 10).value());
        assertTrue(SingleLineText.of(null, 10).valid());
    }

    @Test
    void refusesLineBreaksControlsAndBidiOverridesWithAFieldMessage() {
        for (String bad : new String[] { "a\r\nb", "a\nb", "a\rb", "a\u0000b", "a\tb", "a\u007fb", "a\u0085b",
                "a\u2028b", "a\u2029b", "invoice\u202Egnp.exe", "a\u202Ab", "a\u2066b", "a\u2069b" }) {
            SingleLineText text = SingleLineText.of(bad, 100);
            assertEquals(SingleLineText.CONTROL_MESSAGE, text.problem(), escape(bad));
            FormErrors errors = new FormErrors();
            text.check(errors, "label");
            assertEquals(SingleLineText.CONTROL_MESSAGE, errors.fields().get("label"));
        }
        assertEquals("This text contains characters that are not valid Unicode.",
                SingleLineText.of("a\ud800b", 100).problem(), "an unpaired surrogate");
        assertNull(SingleLineText.of("\ud83d\ude80 launch", 100).problem(), "a real pair is fine");
        assertNull(SingleLineText.of("\u05e9\u05dc\u05d5\u05dd Ops \u200f", 100).problem(), "right-to-left text is fine");
    }

    @Test
    void limitsTheLengthAfterCleaning() {
        assertNull(SingleLineText.of("  " + "x".repeat(100) + "  ", 100).problem());
        assertEquals("Use at most 100 characters.", SingleLineText.of("x".repeat(101), 100).problem());
    }

    @Test
    void severalLinesKeepLineBreaksAsLfAndRefuseTheRest() {
        SingleLineText address = SingleLineText.lines(" 1 Main St\r\nSpringfield\rUSA ", 1000);
        assertEquals("1 Main St\nSpringfield\nUSA", address.value());
        assertNull(address.problem());
        assertEquals(SingleLineText.LINES_CONTROL_MESSAGE, SingleLineText.lines("a\u0000b", 100).problem());
        assertEquals(SingleLineText.LINES_CONTROL_MESSAGE, SingleLineText.lines("a\u202Eb", 100).problem());
        assertEquals(SingleLineText.LINES_CONTROL_MESSAGE, SingleLineText.lines("a\tb", 100).problem());
    }

    private static String escape(String value) {
        StringBuilder out = new StringBuilder();
        value.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : (char) c));
        return out.toString();
    }
}
