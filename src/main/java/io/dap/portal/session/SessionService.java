package io.dap.portal.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.access.ActiveImpersonation;
import io.dap.portal.access.SessionUser;
import io.dap.portal.account.Account;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.user.User;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.Tokens;

/** Server-side sessions: created at sign-in, looked up on every request, deleted on sign-out. */
@ApplicationScoped
public class SessionService {

    /** last_seen_at is written at most this often, not on every request. */
    private static final Duration TOUCH_GRANULARITY = Duration.ofMinutes(1);

    @Inject
    PortalConfig config;

    @Inject
    TimeSource time;

    @Inject
    AuditLog audit;

    @Inject
    SessionImpersonation impersonations;

    @Inject
    Event<SessionEnding> sessionEnding;

    @Inject
    Event<UserSessionsEnding> sessionsEnding;

    @Inject
    Event<SignOutEverywhere> signOutEverywhere;

    /** Returns the raw id for the cookie; only its hash is stored. */
    @Transactional
    public String create(User user, String clientAddress, String userAgent) {
        String raw = Tokens.newToken();
        Instant now = time.now();
        UserSession session = new UserSession();
        session.user = user;
        session.tokenHash = Tokens.sha256(raw);
        session.createdAt = now;
        session.lastSeenAt = now;
        session.expiresAt = now.plus(config.session().absoluteTimeout());
        session.clientAddress = clientAddress;
        session.userAgent = userAgent;
        session.persist();
        return raw;
    }

    /** The signed-in user of a cookie value, or null when it is unknown, idle too long or past its end. */
    @Transactional
    public SessionUser resolve(String rawId) {
        if (!Tokens.looksLikeToken(rawId)) {
            return null;
        }
        UserSession.Signed signed = UserSession.findSigned(Tokens.sha256(rawId));
        if (signed == null) {
            return null;
        }
        UserSession session = signed.session();
        Instant now = time.now();
        boolean idle = session.lastSeenAt.plus(config.session().idleTimeout()).isBefore(now);
        if (idle || !now.isBefore(session.expiresAt) || !session.user.isActive()) {
            sessionEnding.fire(new SessionEnding(session, true));
            session.delete();
            return null;
        }
        if (session.lastSeenAt.plus(TOUCH_GRANULARITY).isBefore(now)) {
            session.lastSeenAt = now;
        }
        ActiveImpersonation impersonation = session.impersonationId == null ? null
                : impersonations.check(session, now);
        if (impersonation != null && impersonation.support()) {
            // R21: an operator acting as a user for support; the request runs as that user, the
            // session (and its timeouts) stays the operator's.
            // The header shows the user's own account: one more statement, in support sessions only.
            Account own = Account.findById(impersonation.accountId());
            return new SessionUser(impersonation.ownerId(), impersonation.ownerEmail(), impersonation.ownerName(),
                    session.id, impersonation.accountId(), impersonation, own == null ? null : own.displayName,
                    own == null ? null : own.colour);
        }
        User user = session.user;
        return new SessionUser(user.id, user.email, user.displayName, session.id, signed.accountId(), impersonation,
                signed.accountName(), signed.accountColour());
    }

    @Transactional
    public void end(SessionUser signedIn) {
        UserSession session = UserSession.findById(signedIn.sessionId());
        if (session != null) {
            sessionEnding.fire(new SessionEnding(session, false));
            session.delete();
        }
        audit.record(signedIn.userId(), signedIn.email(), AuditAction.LOGOUT, Outcome.SUCCESS, null, null);
    }

    @Transactional
    public List<UserSession> list(Long userId) {
        return UserSession.listOf(userId);
    }

    /** Ends one of the user's own sessions; another user's session id changes nothing. */
    @Transactional
    public boolean revoke(SessionUser signedIn, Long sessionId) {
        UserSession session = UserSession.find("id = ?1 and user.id = ?2", sessionId, signedIn.userId())
                .firstResult();
        if (session != null) {
            sessionEnding.fire(new SessionEnding(session, false));
        }
        // A conditional delete: two tabs revoking the same session audit it once.
        long deleted = UserSession.delete("id = ?1 and user.id = ?2", sessionId, signedIn.userId());
        if (deleted == 1) {
            audit.record(signedIn.userId(), signedIn.email(), AuditAction.SESSION_REVOKED, Outcome.SUCCESS,
                    "session " + sessionId, null);
        }
        return deleted == 1;
    }

    /** "Sign out everywhere": every session including this one, and on request every API token too. */
    @Transactional
    public long revokeAll(SessionUser signedIn, boolean apiTokensToo) {
        long deleted = endAll(signedIn.userId(), null);
        audit.record(signedIn.userId(), signedIn.email(), AuditAction.SESSIONS_REVOKED_ALL, Outcome.SUCCESS, null,
                deleted + " sessions");
        signOutEverywhere.fire(new SignOutEverywhere(signedIn.userId(), signedIn.email(), apiTokensToo));
        return deleted;
    }

    /**
     * Every session of the user ends, but {@code keptSessionId} when not null (R18: a proved
     * address or a new password leaves nothing from before). Returns how many ended.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long endAll(Long userId, Long keptSessionId) {
        sessionsEnding.fire(new UserSessionsEnding(userId, keptSessionId));
        return keptSessionId == null ? UserSession.deleteAllOf(userId) : UserSession.deleteAllOfExcept(userId, keptSessionId);
    }
}
