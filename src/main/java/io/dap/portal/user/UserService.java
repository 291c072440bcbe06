package io.dap.portal.user;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.account.Account;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.impersonation.Impersonation;
import io.dap.portal.impersonation.ImpersonationService;
import io.dap.portal.mail.Emails;
import io.dap.portal.session.UserSession;
import io.dap.portal.user.UserToken.Purpose;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.Tokens;
import io.quarkus.elytron.security.common.BcryptUtil;

/** Sign-up, activation, password reset and password change. */
@ApplicationScoped
public class UserService {

    @Inject
    PortalConfig config;

    @Inject
    TimeSource time;

    @Inject
    Emails emails;

    @Inject
    AuditLog audit;

    @Inject
    ImpersonationService impersonations;

    /**
     * Answers the same way whether or not the address is known: a new address gets an activation
     * mail, a pending one a fresh activation link, an active one a note to its owner.
     * The password is hashed in every case so the answer takes as long either way.
     */
    @Transactional
    public void signUp(String email, String displayName, String password) {
        String hash = hash(password);
        Optional<User> existing = User.findByEmail(email);
        if (existing.isPresent()) {
            User user = existing.get();
            if (user.status == User.Status.PENDING_ACTIVATION) {
                emails.activation(user, issueToken(user, Purpose.ACTIVATION, config.activation().tokenTtl()));
            } else {
                emails.signupRepeated(user);
            }
            audit.record(user, AuditAction.SIGN_UP_REPEATED, Outcome.REFUSED, null, null);
            return;
        }
        User user = new User();
        user.email = email;
        user.displayName = displayName;
        user.passwordHash = hash;
        user.status = User.Status.PENDING_ACTIVATION;
        user.createdAt = time.now();
        user.passwordChangedAt = user.createdAt;
        user.persist();
        Account.openFor(user, user.createdAt);
        emails.activation(user, issueToken(user, Purpose.ACTIVATION, config.activation().tokenTtl()));
        audit.record(user, AuditAction.SIGN_UP, Outcome.SUCCESS, null, null);
    }

    /** The pending user a live activation link belongs to. */
    @Transactional
    public Optional<User> activationTarget(String rawToken) {
        return usableToken(rawToken, Purpose.ACTIVATION).map(t -> t.user)
                .filter(u -> u.status == User.Status.PENDING_ACTIVATION);
    }

    public enum ActivationResult { ACTIVATED, INVALID_LINK }

    /**
     * Activates once: the token is consumed by a conditional update, so a second click or a
     * replayed link changes nothing. A user created by an invitation chooses a password here.
     */
    @Transactional
    public ActivationResult activate(String rawToken, String newPassword) {
        Optional<UserToken> token = usableToken(rawToken, Purpose.ACTIVATION);
        if (token.isEmpty() || token.get().user.status != User.Status.PENDING_ACTIVATION) {
            return ActivationResult.INVALID_LINK;
        }
        if (!UserToken.consume(token.get().id, time.now())) {
            return ActivationResult.INVALID_LINK;
        }
        User user = token.get().user;
        if (user.passwordHash == null) {
            user.passwordHash = hash(newPassword);
            user.passwordChangedAt = time.now();
        }
        user.status = User.Status.ACTIVE;
        user.activatedAt = time.now();
        audit.record(user, AuditAction.ACTIVATION, Outcome.SUCCESS, null, null);
        return ActivationResult.ACTIVATED;
    }

    /**
     * Activates a user created by an invitation, whose invitation link proved the address; a user
     * who signed up earlier keeps the password they chose then.
     */
    @Transactional
    public void activateInvited(Long userId, String newPassword) {
        int changed = User.update("status = ?1, activatedAt = ?2 where id = ?3 and status = ?4", User.Status.ACTIVE,
                time.now(), userId, User.Status.PENDING_ACTIVATION);
        if (changed != 1) {
            return;
        }
        User user = User.findById(userId);
        if (user.passwordHash == null) {
            user.passwordHash = hash(newPassword);
            user.passwordChangedAt = time.now();
        }
        UserToken.retireAll(user, Purpose.ACTIVATION, time.now());
        audit.record(user, AuditAction.ACTIVATION, Outcome.SUCCESS, null, "through an invitation");
    }

    /** A new activation link for a pending address; silent for any other address. */
    @Transactional
    public void resendActivation(String email) {
        User.findByEmail(email).filter(u -> u.status == User.Status.PENDING_ACTIVATION).ifPresent(user -> {
            emails.activation(user, issueToken(user, Purpose.ACTIVATION, config.activation().tokenTtl()));
            audit.record(user, AuditAction.ACTIVATION_MAIL_RESENT, Outcome.SUCCESS, null, null);
        });
    }

    /** A reset link for an active address, an activation link for a pending one, nothing otherwise. */
    @Transactional
    public void requestPasswordReset(String email) {
        Optional<User> found = User.findByEmail(email);
        if (found.isEmpty()) {
            return;
        }
        User user = found.get();
        if (user.status == User.Status.PENDING_ACTIVATION) {
            emails.activation(user, issueToken(user, Purpose.ACTIVATION, config.activation().tokenTtl()));
        } else if (user.isActive()) {
            emails.passwordReset(user, issueToken(user, Purpose.PASSWORD_RESET, config.passwordReset().tokenTtl()));
        }
        audit.record(user, AuditAction.PASSWORD_RESET_REQUESTED, Outcome.SUCCESS, null, null);
    }

    @Transactional
    public boolean isResetLinkUsable(String rawToken) {
        return usableToken(rawToken, Purpose.PASSWORD_RESET).filter(t -> t.user.isActive()).isPresent();
    }

    /** Sets the new password, consumes the link and ends every session of the user. */
    @Transactional
    public boolean resetPassword(String rawToken, String newPassword) {
        Optional<UserToken> token = usableToken(rawToken, Purpose.PASSWORD_RESET).filter(t -> t.user.isActive());
        if (token.isEmpty() || !UserToken.consume(token.get().id, time.now())) {
            return false;
        }
        User user = token.get().user;
        user.passwordHash = hash(newPassword);
        user.passwordChangedAt = time.now();
        UserToken.retireAll(user, Purpose.PASSWORD_RESET, time.now());
        impersonations.endWithSessionsOf(user.id, null, Impersonation.EndReason.SIGNED_OUT);
        UserSession.deleteAllOf(user.id);
        emails.passwordChanged(user);
        audit.record(user, AuditAction.PASSWORD_RESET, Outcome.SUCCESS, null, "every session ended");
        return true;
    }

    /** Checks the current password; on success every other session of the user ends. */
    @Transactional
    public boolean changePassword(Long userId, Long keptSessionId, String currentPassword, String newPassword) {
        User user = User.findById(userId);
        if (user == null || !verify(user, currentPassword)) {
            return false;
        }
        user.passwordHash = hash(newPassword);
        user.passwordChangedAt = time.now();
        UserToken.retireAll(user, Purpose.PASSWORD_RESET, time.now());
        impersonations.endWithSessionsOf(user.id, keptSessionId, Impersonation.EndReason.SIGNED_OUT);
        UserSession.deleteAllOfExcept(user.id, keptSessionId);
        emails.passwordChanged(user);
        audit.record(user, AuditAction.PASSWORD_CHANGED, Outcome.SUCCESS, null, "other sessions ended");
        return true;
    }

    @Transactional
    public void updateProfile(Long userId, String displayName) {
        User user = User.findById(userId);
        user.displayName = displayName;
    }

    public boolean verify(User user, String password) {
        return user.passwordHash != null && password != null && BcryptUtil.matches(password, user.passwordHash);
    }

    public String hash(String password) {
        return BcryptUtil.bcryptHash(password, config.password().bcryptCost());
    }

    private String issueToken(User user, Purpose purpose, Duration ttl) {
        Instant now = time.now();
        UserToken.retireAll(user, purpose, now);
        String raw = Tokens.newToken();
        UserToken token = new UserToken();
        token.user = user;
        token.purpose = purpose;
        token.tokenHash = Tokens.sha256(raw);
        token.createdAt = now;
        token.expiresAt = now.plus(ttl);
        token.persist();
        return raw;
    }

    private Optional<UserToken> usableToken(String rawToken, Purpose purpose) {
        if (!Tokens.looksLikeToken(rawToken)) {
            return Optional.empty();
        }
        return UserToken.findUsable(Tokens.sha256(rawToken), purpose, time.now());
    }
}
