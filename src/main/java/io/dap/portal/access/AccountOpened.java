package io.dap.portal.access;

/**
 * An actor opened an account on this request (AccessPolicy resolved it): fired for whoever keeps
 * track of the accounts people act in, so the policy itself writes nothing.
 */
public record AccountOpened(AccountAccess access, boolean byApiToken) {
}
