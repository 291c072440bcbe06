package io.dap.portal.session;

/**
 * Every session of a user, but {@code keptSessionId} if not null, is about to end (sign out
 * everywhere, a new password, a proved address): fired before the rows are deleted in bulk.
 */
public record UserSessionsEnding(Long userId, Long keptSessionId) {
}
