package io.dap.portal.user;

/** What the portal accepts as a person's display name. */
public final class DisplayNames {

    public static final int MAX_LENGTH = 100;

    private DisplayNames() {
    }

    /** Null when acceptable (the value is already stripped), else the message for the field. */
    public static String problem(String name) {
        if (name.isEmpty()) {
            return "Enter the name other people will see.";
        }
        if (name.length() > MAX_LENGTH) {
            return "Use at most " + MAX_LENGTH + " characters.";
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "Use letters, digits, spaces and punctuation only.";
        }
        return null;
    }
}
