package io.dap.portal.session;

/** Who is signed in, as read from the session row on this request. */
public record SessionUser(Long userId, String email, String displayName, Long sessionId, Long accountId) {

    /** The user's own account's pages. */
    public String homePath() {
        return "/accounts/" + accountId + "/infrastructures";
    }

    public static final String ATTRIBUTE = "portal.session-user";
}
