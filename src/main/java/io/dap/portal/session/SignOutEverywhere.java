package io.dap.portal.session;

/**
 * "Sign out everywhere" was pressed. Fired inside its transaction; with {@code apiTokensToo}, the
 * API tokens (a feature above sessions) are revoked by their own service in the same transaction.
 */
public record SignOutEverywhere(Long userId, String email, boolean apiTokensToo) {
}
