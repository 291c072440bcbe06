package io.dap.portal.limit;

/**
 * What is limited (R20): every action that sends mail to an address someone typed, or creates
 * something others can use. Each is counted per client address, per signed-in actor where there
 * is one, and — when it mails someone — against the one budget of mails that address may receive.
 */
public enum LimitedAction {
    SIGN_UP("sign-up", "sign-up", true),
    ACTIVATION_RESEND("activation link sent again", "activation", true),
    PASSWORD_RESET("password reset link", "password-reset", true),
    INVITE("invitation", "invitations", true),
    /** Counted with INVITE: a new link to the same person is one more invitation. */
    INVITATION_RESEND("invitation sent again", "invitations", true),
    API_TOKEN("API token creation", "api-tokens", false),
    /** Used by the change of a signed-in user's email address (a confirmation link to the new address). */
    EMAIL_CHANGE("email address change", "email-change", true);

    private final String label;
    private final String counter;
    private final boolean mails;

    LimitedAction(String label, String counter, boolean mails) {
        this.label = label;
        this.counter = counter;
        this.mails = mails;
    }

    /** The count per client and per actor this action adds to; actions with one name share it. */
    public String counter() {
        return counter;
    }

    public String label() {
        return label;
    }

    /** Whether it sends a mail to the address it names, so that address's budget applies. */
    public boolean mails() {
        return mails;
    }

    /** The ways one action is counted. */
    public enum Dimension {
        CLIENT,
        ACTOR,
        RECIPIENT
    }
}
