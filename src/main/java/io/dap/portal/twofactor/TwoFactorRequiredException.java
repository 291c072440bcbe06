package io.dap.portal.twofactor;

/** A delegate without a second factor, in an account whose owner requires one. */
public class TwoFactorRequiredException extends RuntimeException {

    private final String accountName;

    public TwoFactorRequiredException(String accountName) {
        super("the owner requires two-factor sign-in", null, false, false);
        this.accountName = accountName;
    }

    public String accountName() {
        return accountName;
    }
}
