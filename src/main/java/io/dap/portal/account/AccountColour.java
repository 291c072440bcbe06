package io.dap.portal.account;

import java.util.Arrays;

/**
 * The colours an owner can give their account. A fixed palette rather than any hex value: every
 * one keeps white text readable (WCAG AA), and each maps to a CSS class, since the Content
 * Security Policy allows no inline styles.
 */
public enum AccountColour {
    SLATE("#334155", "Slate"),
    BLUE("#1d4ed8", "Blue"),
    TEAL("#0f766e", "Teal"),
    GREEN("#15803d", "Green"),
    AMBER("#b45309", "Amber"),
    RED("#b91c1c", "Red"),
    PURPLE("#7e22ce", "Purple"),
    PINK("#be185d", "Pink");

    private final String hex;
    private final String label;

    AccountColour(String hex, String label) {
        this.hex = hex;
        this.label = label;
    }

    public String hex() {
        return hex;
    }

    public String label() {
        return label;
    }

    public String cssClass() {
        return "colour-" + name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The palette entry of a stored value; anything unknown shows as the default. */
    public static AccountColour of(String hex) {
        return Arrays.stream(values()).filter(c -> c.hex.equalsIgnoreCase(hex)).findFirst().orElse(SLATE);
    }
}
