package io.dap.portal.audit;

/** What an audit entry records; the label is what the security log shows. */
public enum AuditAction {
    SIGN_UP("Signed up"),
    SIGN_UP_REPEATED("Someone tried to sign up again with this address"),
    ACTIVATION("Activated the account"),
    ACTIVATION_MAIL_RESENT("Activation link sent again"),
    LOGIN("Signed in"),
    LOGIN_FAILED("Failed sign-in"),
    LOGIN_THROTTLED("Sign-in refused: too many failures"),
    LOGOUT("Signed out"),
    PASSWORD_RESET_REQUESTED("Password reset requested"),
    PASSWORD_RESET("Password reset"),
    PASSWORD_CHANGED("Password changed"),
    SESSION_REVOKED("Signed out a session"),
    SESSIONS_REVOKED_ALL("Signed out everywhere"),
    ACCESS_NOT_FOUND("Refused: not found"),
    ACCESS_FORBIDDEN("Refused: not allowed"),
    INFRASTRUCTURE_CREATED("Created an infrastructure"),
    INFRASTRUCTURE_UPDATED("Changed an infrastructure"),
    INFRASTRUCTURE_DELETED("Deleted an infrastructure"),
    INFRASTRUCTURE_DEPLOYED("Deployed an infrastructure"),
    DEPLOY_REFUSED("Deploy refused"),
    DRIVE_ADDED("Added a drive"),
    DRIVE_UPDATED("Changed a drive"),
    DRIVE_REMOVED("Removed a drive"),
    SSH_KEY_ADDED("Added an SSH key"),
    SSH_KEY_DELETED("Deleted an SSH key"),
    BILLING_UPDATED("Changed billing information"),
    PAYMENT_METHOD_REMOVED("Removed the payment method"),
    INVOICE_ISSUED("Issued an invoice"),
    INVITATION_SENT("Invited someone"),
    INVITATION_RESENT("Sent an invitation again"),
    INVITATION_CANCELLED("Cancelled an invitation"),
    INVITATION_ACCEPTED("Accepted an invitation"),
    INVITATION_DECLINED("Declined an invitation"),
    GRANT_ROLE_CHANGED("Changed a delegate's role"),
    GRANT_REVOKED("Revoked a delegate"),
    GRANT_LEFT("Left a shared account"),
    SSH_KEY_REMOVED_FROM_DRIVE("Removed a former delegate's SSH key from a drive"),
    ACCOUNT_SETTINGS_CHANGED("Changed the account's name or colour"),
    IMPERSONATION_STARTED("Started impersonating the owner"),
    IMPERSONATION_ENDED("Impersonation ended"),
    IMPERSONATION_FAILED("Impersonation not started: wrong password"),
    API_TOKEN_CREATED("Created an API token"),
    API_TOKEN_REVOKED("Revoked an API token"),
    API_TOKENS_REVOKED_ALL("Revoked every API token"),
    TWO_FACTOR_SETUP_STARTED("Started setting up two-factor sign-in"),
    TWO_FACTOR_ENABLED("Turned on two-factor sign-in"),
    TWO_FACTOR_DISABLED("Turned off two-factor sign-in"),
    TWO_FACTOR_FAILED("Wrong two-factor code"),
    RECOVERY_CODE_USED("Used a recovery code"),
    RECOVERY_CODES_REGENERATED("Replaced the recovery codes"),
    TWO_FACTOR_REQUIREMENT_ON("Required two-factor sign-in of the people shared with"),
    TWO_FACTOR_REQUIREMENT_OFF("Stopped requiring two-factor sign-in"),
    EMAIL_CHANGE_REQUESTED("Asked to change the email address"),
    EMAIL_CHANGED("Changed the email address"),
    USER_DISABLED("Support disabled the user"),
    USER_ENABLED("Support enabled the user again"),
    ACTING_AS_USER_STARTED("Support started acting as the user"),
    ACTING_AS_USER_CHANGES_ALLOWED("Support confirmed changes while acting as the user"),
    ACTING_AS_USER_ENDED("Support stopped acting as the user"),
    RATE_LIMITED("Refused: too many requests");

    private final String label;

    AuditAction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The label of a stored action name, tolerant of names from newer versions. */
    public static String labelOf(String name) {
        for (AuditAction action : values()) {
            if (action.name().equals(name)) {
                return action.label;
            }
        }
        return name;
    }
}
