package io.dap.portal.operator;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.dap.portal.access.Actor;
import io.dap.portal.apitoken.ApiToken;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.impersonation.Impersonation;
import io.dap.portal.impersonation.ImpersonationService;
import io.dap.portal.mail.Emails;
import io.dap.portal.session.UserSession;
import io.dap.portal.access.Grant;
import io.dap.portal.sharing.GrantLifecycle;
import io.dap.portal.sharing.GrantWords;
import io.dap.portal.user.User;
import io.dap.portal.credentials.UserService;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.SingleLineText;
import io.dap.portal.web.TimeSource;

/**
 * What an operator changes from the console (R21). Each action takes the reason the operator gave,
 * changes one thing with a conditional update (two clicks, two operators: one result), is audited
 * as the operator's with the person it concerns as subject, and is mailed to that person. None of
 * them gives anyone access: the console has no way to grant anything.
 */
@ApplicationScoped
public class OperatorService {

    public static final int REASON_MAX_LENGTH = 500;

    /** How an action went: done, nothing to do any more (already done, or gone), or not allowed. */
    public enum Status { DONE, STALE, REFUSED }

    public record Result(Status status, String message) {

        static Result done(String message) {
            return new Result(Status.DONE, message);
        }

        static Result stale(String message) {
            return new Result(Status.STALE, message);
        }

        static Result refused(String message) {
            return new Result(Status.REFUSED, message);
        }
    }

    @Inject
    TimeSource time;

    @Inject
    AuditLog audit;

    @Inject
    Emails emails;

    @Inject
    ImpersonationService impersonations;

    @Inject
    GrantLifecycle lifecycle;

    @Inject
    UserService users;

    /** The reason every console action needs, cleaned; errors name the field {@code reason}. */
    public static String reason(String raw, FormErrors errors) {
        return reason(raw, errors, "Give the reason; the person concerned reads it.");
    }

    /**
     * A reason as every form reads one (several lines allowed, no control characters: it goes into
     * a mail, the audit trail and a column PostgreSQL would refuse a NUL in); {@code missing} is
     * the message when there is none.
     */
    static String reason(String raw, FormErrors errors, String missing) {
        SingleLineText typed = SingleLineText.lines(raw, REASON_MAX_LENGTH);
        String why = typed.value();
        if (why.isEmpty()) {
            errors.add("reason", missing);
        } else if (why.length() > REASON_MAX_LENGTH) {
            errors.add("reason", "Keep the reason under " + REASON_MAX_LENGTH + " characters.");
        } else {
            typed.check(errors, "reason");
        }
        return why;
    }

    /**
     * Disables a user: they cannot sign in, every session of theirs ends now (with any impersonation
     * it carried), and their API tokens and grants stop on the next request because every one of
     * those checks the user's status. Their grants are left as they are, to work again on enable.
     */
    @Transactional
    public Result disable(Actor operator, Long userId, String reason) {
        User user = User.findById(userId, LockModeType.PESSIMISTIC_WRITE);
        if (user == null) {
            return Result.stale("No such user.");
        }
        if (user.id.equals(operator.userId())) {
            return Result.refused("You cannot disable yourself.");
        }
        if (user.status == User.Status.DISABLED) {
            return Result.stale(user.email + " is already disabled.");
        }
        Instant now = time.now();
        Disablement disablement = new Disablement();
        disablement.userId = user.id;
        disablement.disabledAt = now;
        disablement.disabledBy = User.findById(operator.userId());
        disablement.reason = reason;
        disablement.persist();
        user.status = User.Status.DISABLED;
        impersonations.endWithSessionsOf(user.id, null, Impersonation.EndReason.USER_DISABLED);
        long sessions = UserSession.deleteAllOf(user.id);
        // Whoever was acting as them (an Administrator for billing, or support) stops too.
        for (Impersonation of : Impersonation.<Impersonation>list("owner.id = ?1 and endedAt is null", user.id)) {
            impersonations.endByOperator(of.account.id, of.id, operator.userId(), operator.email(),
                    "the user was disabled");
        }
        record(operator, AuditAction.USER_DISABLED, user, null, reason + " (" + sessions + " sessions ended)");
        mail(operator, user, "Your portal account was disabled",
                "disabled your portal account: you cannot sign in, and your API tokens and the access others gave"
                        + " you do not work until it is enabled again", reason, "/login");
        return Result.done(user.email + " is disabled; " + sessions + (sessions == 1 ? " session" : " sessions")
                + " ended.");
    }

    /** Enables a user an operator disabled; what they held comes back, unless it was revoked meanwhile. */
    @Transactional
    public Result enable(Actor operator, Long userId, String reason) {
        User user = User.findById(userId, LockModeType.PESSIMISTIC_WRITE);
        if (user == null) {
            return Result.stale("No such user.");
        }
        if (user.status != User.Status.DISABLED) {
            return Result.stale(user.email + " is not disabled.");
        }
        if (Disablement.delete("userId", user.id) != 1) {
            return Result.refused("This address was retired when its invitations moved to another account;"
                    + " it cannot be enabled.");
        }
        user.status = user.activatedAt != null ? User.Status.ACTIVE : User.Status.PENDING_ACTIVATION;
        record(operator, AuditAction.USER_ENABLED, user, null, reason);
        mail(operator, user, "Your portal account was enabled again",
                "enabled your portal account again: you can sign in, and your API tokens and the access others"
                        + " gave you work as before", reason, "/login");
        return Result.done(user.email + " is enabled again.");
    }

    /** Ends one session of the user (and whatever impersonation it carried). */
    @Transactional
    public Result endSession(Actor operator, Long userId, Long sessionId, String reason) {
        UserSession session = UserSession.find("id = ?1 and user.id = ?2", sessionId, userId).firstResult();
        if (session == null) {
            return Result.stale("That session had already ended.");
        }
        impersonations.endWithSession(session, Impersonation.EndReason.ENDED_BY_OPERATOR);
        if (UserSession.delete("id = ?1 and user.id = ?2", sessionId, userId) != 1) {
            return Result.stale("That session had already ended.");
        }
        User user = User.findById(userId);
        record(operator, AuditAction.SESSION_REVOKED, user, "session " + sessionId, reason);
        mail(operator, user, "One of your portal sessions was signed out", "signed out one of your sessions", reason,
                "/settings/sessions");
        return Result.done("The session was signed out.");
    }

    /** Ends every session of the user. */
    @Transactional
    public Result endAllSessions(Actor operator, Long userId, String reason) {
        User user = User.findById(userId);
        if (user == null) {
            return Result.stale("No such user.");
        }
        impersonations.endWithSessionsOf(userId, null, Impersonation.EndReason.ENDED_BY_OPERATOR);
        long ended = UserSession.deleteAllOf(userId);
        if (ended == 0) {
            return Result.stale(user.email + " had no session.");
        }
        record(operator, AuditAction.SESSIONS_REVOKED_ALL, user, null, reason + " (" + ended + " sessions)");
        mail(operator, user, "You were signed out of the portal", "signed you out of every session", reason,
                "/login");
        return Result.done(ended + (ended == 1 ? " session" : " sessions") + " signed out.");
    }

    /** Revokes one API token of the user; it stops with its next call. */
    @Transactional
    public Result revokeToken(Actor operator, Long userId, Long tokenId, String reason) {
        ApiToken token = ApiToken.find("id = ?1 and user.id = ?2", tokenId, userId).firstResult();
        if (token == null) {
            return Result.stale("No such token.");
        }
        if (ApiToken.update("revokedAt = ?1 where id = ?2 and revokedAt is null", time.now(), token.id) != 1) {
            return Result.stale("That token had already been revoked.");
        }
        User user = User.findById(userId);
        record(operator, AuditAction.API_TOKEN_REVOKED, user, "API token " + token.id + " (" + token.name + ")",
                reason);
        mail(operator, user, "Your API token " + token.name + " was revoked", "revoked your API token \u201c"
                + token.name + "\u201d; scripts using it now get 401", reason, "/settings/api-tokens");
        return Result.done("Token " + token.name + " revoked.");
    }

    /** A new activation link for a user who never activated (the old one dies). */
    @Transactional
    public Result resendActivation(Actor operator, Long userId, String reason) {
        if (!users.sendActivationAgain(userId)) {
            return Result.stale("Only a user waiting for activation gets an activation link.");
        }
        User user = User.findById(userId);
        record(operator, AuditAction.ACTIVATION_MAIL_RESENT, user, null, reason);
        return Result.done("A new activation link was sent to " + user.email + ".");
    }

    /** Cancels a pending invitation the user received; the account's owner is told. */
    @Transactional
    public Result cancelInvitation(Actor operator, Long userId, Long grantId, String reason) {
        Optional<Grant> cancelled = lifecycle.cancelByOperator(grantId, userId, operator, reason);
        if (cancelled.isEmpty()) {
            return Result.stale("That invitation is no longer pending.");
        }
        Grant grant = cancelled.get();
        mail(operator, grant.account.owner, "An invitation to your account was cancelled",
                "cancelled the invitation of " + grant.grantee.email + " to " + GrantWords.what(grant)
                        + "; its link no longer works", reason, "/accounts/" + grant.account.id + "/sharing");
        return Result.done("Invitation cancelled; its link no longer works.");
    }

    /** Ends an impersonation in progress in the account; both people are told. */
    @Transactional
    public Result endImpersonation(Actor operator, Long accountId, Long impersonationId, String reason) {
        Impersonation impersonation = Impersonation.find("id = ?1 and account.id = ?2", impersonationId, accountId)
                .firstResult();
        if (impersonation == null || !impersonations.endByOperator(accountId, impersonationId, operator.userId(),
                operator.email(), reason)) {
            return Result.stale("That impersonation had already ended.");
        }
        String what = impersonation.impersonator.email + " acting as " + impersonation.owner.email;
        for (User told : List.of(impersonation.owner, impersonation.impersonator)) {
            mail(operator, told, "An impersonation was ended by the portal's support staff", "ended " + what,
                    reason, "/settings/security-log");
        }
        return Result.done("Impersonation ended: " + what + ".");
    }

    private void record(Actor operator, AuditAction action, User subject, String target, String detail) {
        audit.entry(operator.userId(), operator.email(), action, Outcome.SUCCESS).about(subject.id)
                .target(target != null ? target : "user " + subject.id + " (" + subject.email + ")")
                .detail(detail).byOperator().record();
    }

    private void mail(Actor operator, User to, String subject, String what, String reason, String linkPath) {
        User by = User.findById(operator.userId());
        emails.operatorAction(to, subject, by.displayName, by.email, what, reason, linkPath);
    }
}
