package io.dap.portal.credentials;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.dap.portal.account.Account;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.mail.Emails;
import io.dap.portal.session.LoginService;
import io.dap.portal.session.SessionService;
import io.dap.portal.user.AddressProved;
import io.dap.portal.user.Passwords;
import io.dap.portal.user.User;
import io.dap.portal.user.UserToken;
import io.dap.portal.user.UserToken.Purpose;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.Tokens;

/**
 * Sign-up, activation, password reset and change, email change. R18: an address nobody has proved
 * holds no password; whoever proves it (activation link, invitation link, reset link) chooses the
 * password on the page that link opens, and everything from before (password, sessions, links) dies.
 */
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
    SessionService sessions;

    @Inject
    Passwords passwords;

    @Inject
    LoginService logins;

    @Inject
    Event<AddressProved> addressProved;

    /**
     * Answers the same way whether or not the address is known: a new address gets an activation
     * mail, a pending one a fresh activation link (earlier links die), an active one a note to its
     * owner. Nothing typed here is a credential: the password is chosen on the activation page.
     */
    @Transactional
    public void signUp(String email, String displayName) {
        Optional<User> existing = User.findByEmail(email);
        if (existing.isPresent()) {
            User user = existing.get();
            if (user.status == User.Status.PENDING_ACTIVATION) {
                emails.activation(user, issueToken(user, Purpose.ACTIVATION, config.activation().tokenTtl(),
                        displayName, null));
            } else {
                emails.signupRepeated(user);
            }
            audit.record(user, AuditAction.SIGN_UP_REPEATED, Outcome.REFUSED, null, null);
            return;
        }
        User user = new User();
        user.email = email;
        user.displayName = displayName;
        user.status = User.Status.PENDING_ACTIVATION;
        user.createdAt = time.now();
        user.persist();
        Account.openFor(user, user.createdAt);
        emails.activation(user, issueToken(user, Purpose.ACTIVATION, config.activation().tokenTtl(), displayName,
                null));
        audit.record(user, AuditAction.SIGN_UP, Outcome.SUCCESS, null, null);
    }

    /** What the activation page shows: whose address, and the name typed with this very link's sign-up. */
    public record ActivationView(String email, String proposedName) {
    }

    @Transactional
    public Optional<ActivationView> activationTarget(String rawToken) {
        return usableToken(rawToken, Purpose.ACTIVATION).filter(t -> t.user.status == User.Status.PENDING_ACTIVATION)
                .map(t -> new ActivationView(t.user.email, t.displayName != null ? t.displayName : t.user.displayName));
    }

    /**
     * Activates once: the token is consumed by a conditional update, so a second click or a
     * replayed link changes nothing. The person who followed the link chooses name and password now.
     */
    @Transactional
    public Optional<User> activate(String rawToken, String displayName, String password) {
        Optional<UserToken> token = usableToken(rawToken, Purpose.ACTIVATION);
        if (token.isEmpty() || !UserToken.consume(token.get().id, time.now())) {
            return Optional.empty();
        }
        User user = User.findById(token.get().user.id, LockModeType.PESSIMISTIC_WRITE);
        if (user.status != User.Status.PENDING_ACTIVATION) {
            return Optional.empty();
        }
        proveAddress(user, displayName, password);
        audit.record(user, AuditAction.ACTIVATION, Outcome.SUCCESS, null, null);
        return Optional.of(user);
    }

    /** The invitation link proved the address of a user nobody has activated: same as {@link #activate}. */
    @Transactional
    public Optional<User> activateInvited(Long userId, String displayName, String password) {
        User user = User.findById(userId, LockModeType.PESSIMISTIC_WRITE);
        if (user == null || user.status != User.Status.PENDING_ACTIVATION) {
            return Optional.empty();
        }
        proveAddress(user, displayName, password);
        audit.record(user, AuditAction.ACTIVATION, Outcome.SUCCESS, null, "through an invitation");
        return Optional.of(user);
    }

    /** A new activation link for a pending address; silent for any other address. */
    @Transactional
    public void resendActivation(String email) {
        User.findByEmail(email).filter(u -> u.status == User.Status.PENDING_ACTIVATION).ifPresent(user -> {
            emails.activation(user, issueToken(user, Purpose.ACTIVATION, config.activation().tokenTtl(), null, null));
            audit.record(user, AuditAction.ACTIVATION_MAIL_RESENT, Outcome.SUCCESS, null, null);
        });
    }

    /**
     * A new activation link for a user still waiting for activation (earlier links die), for the
     * portal's support staff (R21), who audit it themselves. False for any other user.
     */
    @Transactional
    public boolean sendActivationAgain(Long userId) {
        User user = User.findById(userId, LockModeType.PESSIMISTIC_WRITE);
        if (user == null || user.status != User.Status.PENDING_ACTIVATION) {
            return false;
        }
        emails.activation(user, issueToken(user, Purpose.ACTIVATION, config.activation().tokenTtl(), null, null));
        return true;
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
            emails.activation(user, issueToken(user, Purpose.ACTIVATION, config.activation().tokenTtl(), null, null));
        } else if (user.isActive()) {
            emails.passwordReset(user, issueToken(user, Purpose.PASSWORD_RESET, config.passwordReset().tokenTtl(),
                    null, null));
        }
        audit.record(user, AuditAction.PASSWORD_RESET_REQUESTED, Outcome.SUCCESS, null, null);
    }

    @Transactional
    public boolean isResetLinkUsable(String rawToken) {
        return usableToken(rawToken, Purpose.PASSWORD_RESET).filter(t -> t.user.isActive()).isPresent();
    }

    /** Sets the new password, consumes the link, ends every session and every other link of the user. */
    @Transactional
    public Optional<User> resetPassword(String rawToken, String newPassword) {
        Optional<UserToken> token = usableToken(rawToken, Purpose.PASSWORD_RESET).filter(t -> t.user.isActive());
        if (token.isEmpty() || !UserToken.consume(token.get().id, time.now())) {
            return Optional.empty();
        }
        User user = token.get().user;
        setPassword(user, newPassword);
        endEverySession(user, null);
        emails.passwordChanged(user);
        audit.record(user, AuditAction.PASSWORD_RESET, Outcome.SUCCESS, null, "every session ended");
        return Optional.of(user);
    }

    public sealed interface PasswordChange {
    }

    public record Changed() implements PasswordChange {
    }

    public record WrongPassword() implements PasswordChange {
    }

    public record Throttled(Duration retryAfter) implements PasswordChange {
    }

    /**
     * Checks the current password (throttled and audited like sign-in); on success every other
     * session of the user ends, with every emailed link.
     */
    @Transactional
    public PasswordChange changePassword(Long userId, Long keptSessionId, String currentPassword, String newPassword,
            String clientAddress) {
        User user = User.findById(userId);
        LoginService.Result checked = logins.confirmPassword(user, currentPassword, clientAddress);
        if (checked instanceof LoginService.Throttled throttled) {
            return new Throttled(throttled.retryAfter());
        }
        if (!(checked instanceof LoginService.Confirmed)) {
            audit.record(user, AuditAction.LOGIN_FAILED, Outcome.FAILURE, null,
                    "wrong current password to change the password");
            return new WrongPassword();
        }
        setPassword(user, newPassword);
        endEverySession(user, keptSessionId);
        emails.passwordChanged(user);
        audit.record(user, AuditAction.PASSWORD_CHANGED, Outcome.SUCCESS, null, "other sessions ended");
        return new Changed();
    }

    @Transactional
    public void updateProfile(Long userId, String displayName) {
        User user = User.findById(userId);
        user.displayName = displayName;
    }

    public sealed interface EmailChangeRequest {
    }

    /** Said whatever the new address is, so the form never tells whether it already has an account. */
    public record LinkSent() implements EmailChangeRequest {
    }

    public record EmailProblem(String field, String message) implements EmailChangeRequest {
    }

    public record EmailThrottled(Duration retryAfter) implements EmailChangeRequest {
    }

    /**
     * Asks to move the account to another address: the link goes to the new address, a note to the
     * current one, and nothing changes until the link is followed. An address with an account of
     * its own gets a note instead of a link.
     */
    @Transactional
    public EmailChangeRequest requestEmailChange(Long userId, String newEmail, String password, String clientAddress) {
        User user = User.findById(userId);
        if (newEmail.equals(user.email)) {
            return new EmailProblem("newEmail", "This is already your address.");
        }
        LoginService.Result checked = logins.confirmPassword(user, password, clientAddress);
        if (checked instanceof LoginService.Throttled throttled) {
            return new EmailThrottled(throttled.retryAfter());
        }
        if (!(checked instanceof LoginService.Confirmed)) {
            audit.record(user, AuditAction.LOGIN_FAILED, Outcome.FAILURE, null,
                    "wrong password to change the email address");
            return new EmailProblem("password", "This is not your current password.");
        }
        Optional<User> holder = User.findByEmail(newEmail);
        if (holder.isPresent() && holder.get().status != User.Status.PENDING_ACTIVATION) {
            emails.emailChangeTaken(holder.get());
        } else {
            emails.emailChangeLink(user, newEmail, issueToken(user, Purpose.EMAIL_CHANGE,
                    config.activation().tokenTtl(), null, newEmail));
        }
        emails.emailChangeRequested(user, newEmail);
        audit.record(user, AuditAction.EMAIL_CHANGE_REQUESTED, Outcome.SUCCESS, null, "to " + newEmail);
        return new LinkSent();
    }

    public record EmailChangeView(String currentEmail, String newEmail) {
    }

    /** The change a link stands for, if it is live and belongs to this signed-in user. */
    @Transactional
    public Optional<EmailChangeView> emailChangeTarget(String rawToken, Long userId) {
        return usableToken(rawToken, Purpose.EMAIL_CHANGE).filter(t -> t.user.id.equals(userId))
                .map(t -> new EmailChangeView(t.user.email, t.newEmail));
    }

    public enum EmailChangeOutcome { CHANGED, NOT_VALID, TAKEN }

    /**
     * Moves the account to the proved address. What waited for that address (an unactivated
     * placeholder's invitations) follows the person who proved it; the placeholder is retired.
     * Every emailed link of the account dies: they went to the old address.
     */
    @Transactional
    public EmailChangeOutcome confirmEmailChange(String rawToken, Long userId) {
        Optional<UserToken> token = usableToken(rawToken, Purpose.EMAIL_CHANGE).filter(t -> t.user.id.equals(userId));
        if (token.isEmpty()) {
            // Someone else's link, a used or expired one: refused like anything not found (R13).
            audit.recordRefusal(userId, User.<User>findById(userId).email, null, AuditAction.ACCESS_NOT_FOUND,
                    "email change link");
            return EmailChangeOutcome.NOT_VALID;
        }
        String newEmail = token.get().newEmail;
        Optional<User> holder = User.findByEmail(newEmail);
        if (holder.isPresent() && holder.get().status != User.Status.PENDING_ACTIVATION) {
            return EmailChangeOutcome.TAKEN;
        }
        if (!UserToken.consume(token.get().id, time.now())) {
            return EmailChangeOutcome.NOT_VALID;
        }
        User user = User.findById(userId, LockModeType.PESSIMISTIC_WRITE);
        holder.ifPresent(placeholder -> retirePlaceholder(placeholder, user));
        String oldEmail = user.email;
        user.email = newEmail;
        UserToken.retireEvery(user, time.now());
        emails.emailChanged(oldEmail, user.displayName, newEmail);
        audit.record(user, AuditAction.EMAIL_CHANGED, Outcome.SUCCESS, null, "from " + oldEmail + " to " + newEmail);
        return EmailChangeOutcome.CHANGED;
    }

    /**
     * After a right password: a hash from an earlier version or at an older cost is replaced by
     * one at today's cost (the password is known only now).
     */
    public void upgradeHash(User user, String password) {
        passwords.upgrade(user, password);
    }

    /** R18: the person holding the proof sets everything now; nothing from before survives. */
    private void proveAddress(User user, String displayName, String password) {
        Instant now = time.now();
        user.displayName = displayName;
        setPassword(user, password);
        user.status = User.Status.ACTIVE;
        user.activatedAt = now;
        endEverySession(user, null);
    }

    private void setPassword(User user, String password) {
        user.passwordHash = passwords.hash(password);
        user.passwordChangedAt = time.now();
        UserToken.retireEvery(user, time.now());
    }

    private void endEverySession(User user, Long keptSessionId) {
        sessions.endAll(user.id, keptSessionId);
    }

    /**
     * An unactivated user held the address: its grants move to the person who proved it, then it
     * steps aside (its address freed, never deleted, so nothing that points at it breaks).
     */
    private void retirePlaceholder(User placeholder, User prover) {
        User locked = User.findById(placeholder.id, LockModeType.PESSIMISTIC_WRITE);
        addressProved.fire(new AddressProved(prover.id, locked.id, locked.email));
        UserToken.retireEvery(locked, time.now());
        locked.email = "retired-" + locked.id + ".invalid";
        locked.status = User.Status.DISABLED;
        User.flush();
    }

    private String issueToken(User user, Purpose purpose, Duration ttl, String displayName, String newEmail) {
        Instant now = time.now();
        UserToken.retireAll(user, purpose, now);
        String raw = Tokens.newToken();
        UserToken token = new UserToken();
        token.user = user;
        token.purpose = purpose;
        token.tokenHash = Tokens.sha256(raw);
        token.createdAt = now;
        token.expiresAt = now.plus(ttl);
        token.displayName = displayName;
        token.newEmail = newEmail;
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
