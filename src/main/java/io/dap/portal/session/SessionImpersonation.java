package io.dap.portal.session;

import java.time.Instant;

import io.dap.portal.access.ActiveImpersonation;

/**
 * What the impersonation a session row points at is worth on this request: the live impersonation,
 * or null once it ended. Owned by session, implemented by the impersonation feature above it.
 */
public interface SessionImpersonation {

    ActiveImpersonation check(UserSession session, Instant now);
}
