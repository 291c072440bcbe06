package io.dap.portal.operator;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.dap.portal.access.Actor;
import io.dap.portal.account.Account;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.access.ActiveImpersonation;
import io.dap.portal.impersonation.Impersonation;
import io.dap.portal.mail.Emails;
import io.dap.portal.session.LoginService;
import io.dap.portal.session.UserSession;
import io.dap.portal.user.User;
import io.dap.portal.web.ClientAddress;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.Times;
import io.dap.portal.web.TimeSource;

/**
 * R21, acting as a user for support: an impersonation of the user's own account carried by the
 * operator's session, like an owner impersonation (R10) — ended by Stop, sign-out, time, the user
 * (from Account sharing), another operator, or the operator losing the console. It starts with a
 * reason and a code from the operator's authenticator, lasts at most {@link #LONGEST}, mails the
 * user at once, and is read-only until the operator confirms a change separately. What a support
 * session may never do, changes confirmed or not, is {@link #refusal}.
 */
@ApplicationScoped
public class SupportSessions {

    public static final Duration LONGEST = Duration.ofMinutes(30);

    public static final int REASON_MAX_LENGTH = 500;

    public sealed interface StartResult {
    }

    public record Started(Long accountId, Instant endsAt) implements StartResult {
    }

    public record Invalid(FormErrors errors) implements StartResult {
    }

    public record AlreadyActing() implements StartResult {
    }

    public record Throttled(Duration retryAfter) implements StartResult {
    }

    public record NoSuchUser() implements StartResult {
    }

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

    /**
     * Starts acting as {@code userId} in the operator's session {@code sessionId}. The session row
     * is locked, so two tabs cannot start two support sessions; the code is checked (and throttled)
     * like every step-up code.
     */
    @Transactional
    public StartResult start(Actor operator, Long sessionId, Long userId, String reason, String code) {
        User user = User.findById(userId);
        if (user == null) {
            return new NoSuchUser();
        }
        FormErrors errors = new FormErrors();
        String why = reason(reason, errors);
        if (code == null || code.isBlank()) {
            errors.add("code", "Enter the code your authenticator app shows now.");
        }
        if (user.id.equals(operator.userId())) {
            errors.add("reason", "You cannot act as yourself.");
        } else if (!user.isActive()) {
            errors.add("reason", "Only an active user can be acted as: this one cannot sign in either.");
        }
        if (!errors.isEmpty()) {
            return new Invalid(errors);
        }
        UserSession session = UserSession.findById(sessionId, LockModeType.PESSIMISTIC_WRITE);
        if (session == null) {
            return new Invalid(new FormErrors().add("code", "Your session ended; sign in again."));
        }
        if (session.impersonationId != null) {
            return new AlreadyActing();
        }
        LoginService.Result coded = login.confirmCode(session.user, code, clientAddress.value(), "acting as a user");
        if (coded instanceof LoginService.Throttled throttled) {
            return new Throttled(throttled.retryAfter());
        }
        if (!(coded instanceof LoginService.Confirmed)) {
            return new Invalid(new FormErrors().add("code", "That code is not right, or was already used."));
        }
        Instant now = time.now();
        Account account = Account.findByOwner(user.id).orElseThrow();
        Impersonation acting = new Impersonation();
        acting.kind = Impersonation.Kind.OPERATOR_SUPPORT;
        acting.account = account;
        acting.owner = user;
        acting.impersonator = session.user;
        acting.sessionId = session.id;
        acting.reason = why;
        acting.startedAt = now;
        acting.expiresAt = now.plus(LONGEST);
        acting.persist();
        session.impersonationId = acting.id;
        audit.entry(operator.userId(), operator.email(), AuditAction.ACTING_AS_USER_STARTED, Outcome.SUCCESS)
                .inAccount(account.id).about(user.id).onBehalfOf(user.id, user.email).byOperator()
                .target("user " + user.id + " (" + user.email + ")")
                .detail("read-only, until " + acting.expiresAt + "; reason: " + why).record();
        emails.supportActingStarted(user, session.user.displayName, session.user.email, why, acting.expiresAt);
        return new Started(account.id, acting.expiresAt);
    }

    public sealed interface ChangesResult {
    }

    public record ChangesAllowed() implements ChangesResult {
    }

    public record ChangesInvalid(FormErrors errors) implements ChangesResult {
    }

    /** The support session had ended, or already allowed changes: nothing to do. */
    public record ChangesStale() implements ChangesResult {
    }

    /**
     * The separate confirmation: from now on this support session may change things (within
     * {@link #refusal}); one conditional update, audited and mailed to the user with what for.
     */
    @Transactional
    public ChangesResult allowChanges(Actor operator, ActiveImpersonation acting, boolean confirmed, String what) {
        FormErrors errors = new FormErrors();
        String why = reason(what, errors);
        if (!confirmed) {
            errors.add("confirm", "Tick the box to confirm that you need to make changes as this user.");
        }
        if (!errors.isEmpty()) {
            return new ChangesInvalid(errors);
        }
        Instant now = time.now();
        int changed = Impersonation.update("changesAllowedAt = ?1 where id = ?2 and kind = ?3 and endedAt is null"
                + " and changesAllowedAt is null and expiresAt > ?1", now, acting.id(),
                Impersonation.Kind.OPERATOR_SUPPORT);
        if (changed != 1) {
            return new ChangesStale();
        }
        User user = User.findById(acting.ownerId());
        audit.entry(operator.userId(), operator.email(), AuditAction.ACTING_AS_USER_CHANGES_ALLOWED, Outcome.SUCCESS)
                .inAccount(acting.accountId()).about(user.id).onBehalfOf(user.id, user.email).byOperator()
                .target("impersonation " + acting.id()).detail(why).record();
        User operatorUser = User.findById(operator.userId());
        emails.operatorAction(user, "The portal's support staff may now make changes as you", operatorUser.displayName,
                operatorUser.email, "confirmed that they need to make changes while acting as you, until "
                        + Times.utc(acting.expiresAt()), why, "/settings/security-log");
        return new ChangesAllowed();
    }

    private static final Pattern SHARING_OR_IMPERSONATION = Pattern
            .compile("^/accounts/[^/]+/(infrastructures/[^/]+/)?(sharing|impersonation)(/.*)?$");

    /**
     * Why a request of a support session is refused, or null when it may go on (R21). Reading is
     * open except the user's two-factor set-up; of changes, only Stop, sign-out and the console's
     * own confirmation are open while read-only. Once changes are confirmed, what an account's
     * pages change is open too — never who has access (sharing, impersonation), never the user's
     * own settings or answers to invitations, so an operator cannot give anyone, themselves
     * included, a way in.
     */
    public static String refusal(String method, String path, boolean changesAllowed) {
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return under(path, "/settings/two-factor")
                    ? "The two-factor set-up of a user is theirs alone; it is not shown while acting as them."
                    : null;
        }
        if (path.equals("/impersonation/stop") || path.equals("/logout") || ConsoleGate.isConsole(path)) {
            return null;
        }
        if (under(path, "/settings")) {
            return "Settings (password, address, second factor, sessions, API tokens, SSH keys) are the user's"
                    + " own: they are never changed while acting as them.";
        }
        if (SHARING_OR_IMPERSONATION.matcher(path).matches()) {
            return "Acting as a user never changes who has access: sharing and impersonation stay read-only.";
        }
        boolean accountPage = path.startsWith("/accounts/") || under(path, "/notifications");
        if (!accountPage) {
            return "This is not done while acting as a user.";
        }
        return changesAllowed ? null
                : "You are acting as this user read-only. Confirm that you need to change something first"
                        + " (Allow changes, in the banner).";
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    private static String reason(String raw, FormErrors errors) {
        return OperatorService.reason(raw, errors, "Say why; the user reads it.");
    }
}
