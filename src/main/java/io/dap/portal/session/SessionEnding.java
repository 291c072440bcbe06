package io.dap.portal.session;

/**
 * One session is about to end (sign-out, revoked from Settings, idle or past its end): fired before
 * its row goes, so what lives on it (an impersonation, R10) ends with it.
 */
public record SessionEnding(UserSession session, boolean expired) {
}
