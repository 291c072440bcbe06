package io.dap.portal.session;

/** Who is signed in, as read from the session row on this request. */
public record SessionUser(Long userId, String email, String displayName, Long sessionId) {

    public static final String ATTRIBUTE = "portal.session-user";
}
