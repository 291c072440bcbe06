package io.dap.portal.access;


/**
 * Who is signed in, as read from the session row on this request, with the impersonation the
 * session carries, if any (R10), and the name and colour of their own account, which the header
 * shows on every page (read with the session, in the same statement). While an operator acts as a
 * user for support (R21) this is the user, and the impersonation names the operator:
 * {@link #realEmail()} is who is at the keyboard.
 */
public record SessionUser(Long userId, String email, String displayName, Long sessionId, Long accountId,
        ActiveImpersonation impersonation, String accountName, String accountColour) {

    public boolean impersonating() {
        return impersonation != null;
    }

    /** An operator acting as this user for support (R21). */
    public boolean supportSession() {
        return impersonation != null && impersonation.support();
    }

    /** The person at the keyboard: the operator of a support session, else the signed-in user. */
    public Long realUserId() {
        return supportSession() ? impersonation.impersonatorId() : userId;
    }

    public String realEmail() {
        return supportSession() ? impersonation.impersonatorEmail() : email;
    }

    /** The user's own account's pages. */
    public String homePath() {
        return "/accounts/" + accountId + "/infrastructures";
    }

    public static final String ATTRIBUTE = "portal.session-user";

    /** The creator of an API token, acting through it: there is no browser session behind the request. */
    public static SessionUser forApiToken(Long userId, String email, String displayName, Long accountId) {
        return new SessionUser(userId, email, displayName, null, accountId, null, null, null);
    }
}
