package io.dap.portal.impersonation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Action;
import io.dap.portal.access.ActiveImpersonation;
import io.dap.portal.access.Grant;
import io.dap.portal.access.Operators;
import io.dap.portal.access.Permissions;
import io.dap.portal.access.Role;
import io.dap.portal.access.SessionUser;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.mail.Emails;
import io.dap.portal.session.LoginService;
import io.dap.portal.session.SessionEnding;
import io.dap.portal.session.SessionImpersonation;
import io.dap.portal.session.UserSession;
import io.dap.portal.session.UserSessionsEnding;
import io.dap.portal.twofactor.TwoFactor;
import io.dap.portal.twofactor.TwoFactorService;
import io.dap.portal.user.User;
import io.dap.portal.web.ClientAddress;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.InList;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.SingleLineText;
import io.dap.portal.web.TimeSource;

/**
 * Impersonation (R10): an account Administrator acting as the owner for billing, for at most an
 * hour, inside one server-side session. Everything that ends it — Stop, sign-out, time, the owner,
 * a change to the delegate's grant — goes through one conditional update, so it ends once and is
 * audited once.
 */
@ApplicationScoped
public class ImpersonationService implements SessionImpersonation {

    /** The rule's ceiling; the setting can only make it shorter. */
    public static final Duration LONGEST = Duration.ofHours(1);

    public static final int REASON_MAX_LENGTH = 500;

    public sealed interface StartResult {
    }

    public record Started(Instant endsAt) implements StartResult {
    }

    public record Invalid(FormErrors errors) implements StartResult {
    }

    public record AlreadyImpersonating() implements StartResult {
    }

    public record Throttled(Duration retryAfter) implements StartResult {
    }

    /**
     * A current impersonation of an account, as its owner sees it on the sharing page; {@code support}
     * when it is an operator acting as the owner for support (R21).
     */
    public record Current(Long id, String impersonatorEmail, String impersonatorName, String reason,
            Instant startedAt, Instant expiresAt, String endAction, boolean support) {
    }

    @Inject
    PortalConfig config;

    @Inject
    TimeSource time;

    @Inject
    AuditLog audit;

    @Inject
    Emails emails;

    @Inject
    LoginService login;

    @Inject
    ClientAddress clientAddress;

    @Inject
    TwoFactorService twoFactor;

    @Inject
    Operators operators;

    public Duration duration() {
        Duration configured = config.impersonation().maxDuration();
        return configured.compareTo(LONGEST) > 0 || configured.isNegative() || configured.isZero() ? LONGEST
                : configured;
    }

    /**
     * The session's impersonation if it may go on: not ended, not past its end, and its grant still
     * an active account Administrator grant of this very user (for a support session: the operator
     * still named in the configuration with a second factor, the user still active). Otherwise it
     * ends here, and the request goes on as the delegate (or operator) alone.
     */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public ActiveImpersonation check(UserSession session, Instant now) {
        Impersonation impersonation = Impersonation.find("select i from Impersonation i left join fetch i.grant"
                + " join fetch i.owner join fetch i.impersonator where i.id = ?1", session.impersonationId).firstResult();
        if (impersonation == null || impersonation.endedAt != null
                || !impersonation.sessionId.equals(session.id)) {
            session.impersonationId = null;
            return null;
        }
        if (impersonation.support()) {
            return checkSupport(impersonation, session, now);
        }
        Grant grant = impersonation.grant;
        boolean grantHolds = grant.isActive(now) && Permissions.allows(grant.role, Action.IMPERSONATE_OWNER)
                && grant.grantee.id.equals(session.user.id);
        if (!grantHolds || !now.isBefore(impersonation.expiresAt)) {
            Impersonation.EndReason reason = grantHolds ? Impersonation.EndReason.EXPIRED
                    : Impersonation.EndReason.GRANT_ENDED;
            end(impersonation, reason, session.user.id, session.user.email, now);
            session.impersonationId = null;
            return null;
        }
        return view(impersonation);
    }

    /** R21: a support session lasts while its operator may use the console and its user is active. */
    private ActiveImpersonation checkSupport(Impersonation impersonation, UserSession session, Instant now) {
        Impersonation.EndReason reason = null;
        if (!now.isBefore(impersonation.expiresAt)) {
            reason = Impersonation.EndReason.EXPIRED;
        } else if (!impersonation.owner.isActive()) {
            reason = Impersonation.EndReason.USER_DISABLED;
        } else if (!operators.isOperator(session.user.email) || !TwoFactor.enabledFor(session.user.id)) {
            reason = Impersonation.EndReason.OPERATOR_REMOVED;
        }
        if (reason != null) {
            end(impersonation, reason, session.user.id, session.user.email, now);
            session.impersonationId = null;
            return null;
        }
        return view(impersonation);
    }

    /**
     * Starts impersonating the owner of the account the delegate acts in. The caller has already
     * required {@code IMPERSONATE_OWNER}; the reason and a fresh password are checked here, and
     * the session row is locked so two tabs cannot start two impersonations.
     */
    @Transactional
    public StartResult start(AccountAccess access, SessionUser signedIn, String reason, String password, String code) {
        FormErrors errors = new FormErrors();
        SingleLineText typed = SingleLineText.lines(reason, REASON_MAX_LENGTH);
        String why = typed.value();
        if (why.isEmpty()) {
            errors.add("reason", "Say why you need to act as the owner; they will read it.");
        } else if (why.length() > REASON_MAX_LENGTH) {
            errors.add("reason", "Keep the reason under " + REASON_MAX_LENGTH + " characters.");
        } else {
            typed.check(errors, "reason");
        }
        if (password == null || password.isEmpty()) {
            errors.add("password", "Enter your password.");
        }
        boolean askCode = twoFactor.enabledFor(signedIn.userId());
        if (askCode && (code == null || code.isBlank())) {
            errors.add("code", "Enter the code your authenticator app shows now.");
        }
        if (!errors.isEmpty()) {
            return new Invalid(errors);
        }
        UserSession session = UserSession.findById(signedIn.sessionId(), LockModeType.PESSIMISTIC_WRITE);
        if (session == null) {
            return new Invalid(new FormErrors().add("password", "Your session ended; sign in again."));
        }
        if (session.impersonationId != null) {
            return new AlreadyImpersonating();
        }
        User delegate = session.user;
        LoginService.Result checked = login.confirmPassword(delegate, password, clientAddress.value());
        if (checked instanceof LoginService.Throttled throttled) {
            return new Throttled(throttled.retryAfter());
        }
        if (!(checked instanceof LoginService.Confirmed)) {
            audit.entry(delegate.id, delegate.email, AuditAction.IMPERSONATION_FAILED, Outcome.FAILURE)
                    .inAccount(access.accountId()).about(access.ownerId()).target(target(access)).record();
            return new Invalid(new FormErrors().add("password", "That is not your password."));
        }
        // Step-up (R10, R19): with a second factor on, the password alone does not start it.
        if (askCode) {
            LoginService.Result coded = login.confirmCode(delegate, code, clientAddress.value(), "acting as the owner");
            if (coded instanceof LoginService.Throttled throttled) {
                return new Throttled(throttled.retryAfter());
            }
            if (!(coded instanceof LoginService.Confirmed)) {
                return new Invalid(new FormErrors().add("code", "That code is not right, or was already used."));
            }
        }
        Instant now = time.now();
        InList roles = InList.of("role", Permissions.delegateRolesAllowing(Action.IMPERSONATE_OWNER));
        Grant grant = Grant.find("from Grant g where g.account.id = :account and g.grantee.id = :delegate"
                + " and g.scope = :scope and g.role in " + roles.sql() + " and " + Grant.activeAt("g", ":now"),
                roles.parametersWith(Map.of("account", access.accountId(), "delegate", delegate.id,
                        "scope", Role.Scope.ACCOUNT, "now", now)))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (grant == null) {
            // The grant changed between the page and the form: nothing to impersonate with.
            return new Invalid(new FormErrors().add("reason", "Your Administrator access to this account ended."));
        }
        Impersonation impersonation = new Impersonation();
        impersonation.account = grant.account;
        impersonation.owner = grant.account.owner;
        impersonation.impersonator = delegate;
        impersonation.grant = grant;
        impersonation.sessionId = session.id;
        impersonation.reason = why;
        impersonation.startedAt = now;
        Instant endsAt = now.plus(duration());
        if (grant.endsAt != null && grant.endsAt.isBefore(endsAt)) {
            endsAt = grant.endsAt;
        }
        impersonation.expiresAt = endsAt;
        impersonation.persist();
        session.impersonationId = impersonation.id;
        User owner = impersonation.owner;
        audit.entry(delegate.id, delegate.email, AuditAction.IMPERSONATION_STARTED, Outcome.SUCCESS)
                .inAccount(access.accountId()).about(owner.id).onBehalfOf(owner.id, owner.email)
                .target(target(access)).detail("until " + endsAt + "; reason: " + why).record();
        emails.impersonationStarted(owner, delegate.displayName, delegate.email, why, endsAt,
                access.path() + "/sharing");
        return new Started(endsAt);
    }

    /**
     * Stop: the delegate ends their own session's impersonation, whichever it is by now (another tab
     * may have started one since this request began). Returns what ended, or null.
     */
    @Transactional
    public ActiveImpersonation stop(SessionUser signedIn) {
        UserSession session = UserSession.findById(signedIn.sessionId(), LockModeType.PESSIMISTIC_WRITE);
        if (session == null || session.impersonationId == null) {
            return null;
        }
        Impersonation impersonation = Impersonation.findById(session.impersonationId);
        session.impersonationId = null;
        // The session's own person stops it: in a support session the request speaks as the user.
        if (impersonation == null || !end(impersonation, Impersonation.EndReason.STOPPED, session.user.id,
                session.user.email, time.now())) {
            return null;
        }
        return view(impersonation);
    }

    /** Every impersonation of the user's sessions ends, before those sessions are deleted in bulk. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void endWithSessionsOf(Long userId, Long keptSessionId, Impersonation.EndReason reason) {
        UserSession.<UserSession>list("user.id = ?1 and impersonationId is not null", userId).stream()
                .filter(session -> !session.id.equals(keptSessionId))
                .forEach(session -> endWithSession(session, reason));
    }

    void onSessionEnding(@Observes SessionEnding ending) {
        endWithSession(ending.session(),
                ending.expired() ? Impersonation.EndReason.EXPIRED : Impersonation.EndReason.SIGNED_OUT);
    }

    void onSessionsEnding(@Observes UserSessionsEnding ending) {
        endWithSessionsOf(ending.userId(), ending.keptSessionId(), Impersonation.EndReason.SIGNED_OUT);
    }

    /** Sign-out or a revoked session: its impersonation ends with it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void endWithSession(UserSession session, Impersonation.EndReason reason) {
        if (session.impersonationId != null) {
            Impersonation impersonation = Impersonation.findById(session.impersonationId);
            session.impersonationId = null;
            if (impersonation != null) {
                end(impersonation, reason, session.user.id, session.user.email, time.now());
            }
        }
    }

    /** The delegate's grant was revoked or its role changed: every impersonation resting on it ends now. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void endForGrant(Long grantId, Long actorId, String actorEmail) {
        List<Impersonation> live = Impersonation.list("grant.id = ?1 and endedAt is null", grantId);
        for (Impersonation impersonation : live) {
            end(impersonation, Impersonation.EndReason.GRANT_ENDED, actorId, actorEmail, time.now());
        }
    }

    /** The owner ends an impersonation of their account from the sharing page. */
    @Transactional
    public boolean endByOwner(AccountAccess access, Long impersonationId) {
        Impersonation impersonation = Impersonation.find("id = ?1 and account.id = ?2", impersonationId,
                access.accountId()).firstResult();
        if (impersonation == null) {
            return false;
        }
        return end(impersonation, Impersonation.EndReason.ENDED_BY_OWNER, access.actor().userId(),
                access.actor().email(), time.now());
    }

    /** An operator ends an impersonation of an account from the console (R21), saying why. */
    @Transactional
    public boolean endByOperator(Long accountId, Long impersonationId, Long operatorId, String operatorEmail,
            String why) {
        Impersonation impersonation = Impersonation.find("id = ?1 and account.id = ?2", impersonationId, accountId)
                .firstResult();
        return impersonation != null && end(impersonation, Impersonation.EndReason.ENDED_BY_OPERATOR, operatorId,
                operatorEmail, time.now(), why, true);
    }

    /**
     * Impersonations of the account going on now: not ended, not past their end, and their session
     * still alive (a session that timed out takes its impersonation with it).
     */
    @Transactional
    public List<Current> current(AccountAccess access) {
        return current(access.accountId(), access.path() + "/sharing/impersonations/");
    }

    /** The same for any account, each with its End action under {@code endBase}. */
    @Transactional
    public List<Current> current(Long accountId, String endBase) {
        List<Impersonation> live = Impersonation.find("select i from Impersonation i join fetch i.impersonator"
                + " where i.account.id = ?1 and i.endedAt is null and i.expiresAt > ?2"
                + " and exists (select 1 from UserSession s where s.impersonationId = i.id)"
                + " order by i.startedAt desc", accountId, time.now()).list();
        return live.stream().map(i -> new Current(i.id, i.impersonator.email, i.impersonator.displayName, i.reason,
                i.startedAt, i.expiresAt, endBase + i.id + "/end", i.support())).toList();
    }

    private boolean end(Impersonation impersonation, Impersonation.EndReason reason, Long actorId, String actorEmail,
            Instant now) {
        return end(impersonation, reason, actorId, actorEmail, now, null, false);
    }

    private boolean end(Impersonation impersonation, Impersonation.EndReason reason, Long actorId, String actorEmail,
            Instant now, String note, boolean byOperator) {
        int ended = Impersonation.update("endedAt = ?1, endReason = ?2, endedBy.id = ?3 where id = ?4"
                + " and endedAt is null", now, reason, actorId, impersonation.id);
        if (ended == 1) {
            // Whichever session carried it goes on as the delegate alone.
            UserSession.update("impersonationId = null where impersonationId = ?1", impersonation.id);
            User owner = impersonation.owner;
            User delegate = impersonation.impersonator;
            Long subject = actorId.equals(delegate.id) ? owner.id : delegate.id;
            AuditLog.Entry entry = audit.entry(actorId, actorEmail, impersonation.support()
                    ? AuditAction.ACTING_AS_USER_ENDED : AuditAction.IMPERSONATION_ENDED, Outcome.SUCCESS)
                    .inAccount(impersonation.account.id).about(subject).onBehalfOf(owner.id, owner.email)
                    .target("impersonation " + impersonation.id + " (" + delegate.email + " as " + owner.email + ")")
                    .detail(reason.label(impersonation.kind) + (note == null ? "" : ": " + note));
            if (impersonation.support() || byOperator) {
                entry.byOperator();
            }
            entry.record();
        }
        return ended == 1;
    }

    private static ActiveImpersonation view(Impersonation impersonation) {
        User owner = impersonation.owner;
        User impersonator = impersonation.impersonator;
        return new ActiveImpersonation(impersonation.id, impersonation.account.id, owner.id, owner.email,
                owner.displayName, impersonation.reason, impersonation.expiresAt,
                impersonation.kind == Impersonation.Kind.OPERATOR_SUPPORT,
                impersonator.id, impersonator.email, impersonation.changesAllowedAt != null);
    }

    private static String target(AccountAccess access) {
        return "account " + access.accountId() + " (" + access.ownerEmail() + ")";
    }
}
