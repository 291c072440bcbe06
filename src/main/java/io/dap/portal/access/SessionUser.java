package io.dap.portal.access;


/**
 * Who is signed in, as read from the session row on this request, with the impersonation the
 * session carries, if any (R10).
 */
public record SessionUser(Long userId, String email, String displayName, Long sessionId, Long accountId,
        ActiveImpersonation impersonation) {

    public boolean impersonating() {
        return impersonation != null;
    }

    /** The user's own account's pages. */
    public String homePath() {
        return "/accounts/" + accountId + "/infrastructures";
    }

    public static final String ATTRIBUTE = "portal.session-user";

    /** The creator of an API token, acting through it: there is no browser session behind the request. */
    public static SessionUser forApiToken(Long userId, String email, String displayName, Long accountId) {
        return new SessionUser(userId, email, displayName, null, accountId, null);
    }
}
