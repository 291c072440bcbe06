package io.dap.portal.user;

import io.dap.portal.web.SingleLineText;

/** What the portal accepts as a person's display name. */
public final class DisplayNames {

    public static final int MAX_LENGTH = 100;

    private DisplayNames() {
    }

    /** The name as stored: normalised and trimmed (SingleLineText). */
    public static String clean(String raw) {
        return SingleLineText.of(raw, MAX_LENGTH).value();
    }

    /** Null when acceptable (the value is already cleaned), else the message for the field. */
    public static String problem(String name) {
        if (name.isEmpty()) {
            return "Enter the name other people will see.";
        }
        return SingleLineText.of(name, MAX_LENGTH).problem();
    }
}
