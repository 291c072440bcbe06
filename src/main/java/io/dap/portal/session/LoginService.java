package io.dap.portal.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.twofactor.TwoFactorService;
import io.dap.portal.user.PasswordHashes;
import io.dap.portal.user.Passwords;
import io.dap.portal.user.User;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.TimeSource;

/**
 * Passwords and two-factor codes, at sign-in and whenever they are typed again, with throttling
 * over a sliding window. Failures are counted per (address, client) pair and per client, so an
 * attacker elsewhere cannot lock a victim out: the victim's own client is only slowed by its own
 * failures, and never for longer than the window. Wrong codes are also counted per person, from
 * any client: whoever types codes already knows the password.
 */
@ApplicationScoped
public class LoginService {

    public sealed interface Result {
    }

    /** The password (or code) is right. */
    public record Confirmed(User user, boolean recoveryCode) implements Result {

        public Confirmed(User user) {
            this(user, false);
        }
    }

    public record BadCredentials() implements Result {
    }

    public record Throttled(Duration retryAfter) implements Result {
    }

    @Inject
    PortalConfig config;

    @Inject
    TimeSource time;

    @Inject
    Passwords passwords;

    @Inject
    PasswordHashes passwordHashes;

    @Inject
    TwoFactorService twoFactor;

    @Inject
    AuditLog audit;

    /** A hash to compare against when there is no password to check, so timing does not tell. */
    private volatile String decoyHash;

    /**
     * The password step of sign-in. Unknown addresses, addresses nobody has proved yet (they hold
     * no password, R18) and wrong passwords all cost one password-hash comparison and answer alike;
     * a right password with a hash from an earlier version gets a new hash (Passwords.upgrade).
     */
    @Transactional(dontRollbackOn = RuntimeException.class)
    public Result attempt(String email, String password, String clientAddress) {
        Instant now = time.now();
        Instant since = now.minus(config.login().window());
        Optional<Duration> wait = throttle(email, clientAddress, since, now);
        Optional<User> found = User.findByEmail(email);
        if (wait.isPresent()) {
            audit.record(found.map(u -> u.id).orElse(null), email, AuditAction.LOGIN_THROTTLED, Outcome.REFUSED,
                    null, null);
            return new Throttled(wait.get());
        }
        if (!passwordMatches(found.orElse(null), password)) {
            recordFailure(email, clientAddress, now, false);
            audit.record(found.map(u -> u.id).orElse(null), email, AuditAction.LOGIN_FAILED, Outcome.FAILURE, null,
                    null);
            return new BadCredentials();
        }
        User user = found.get();
        if (!user.isActive()) {
            return new BadCredentials();
        }
        passwords.upgrade(user, password);
        return new Confirmed(user);
    }

    /** Fully signed in (password, and code when enabled): the pair's failures are forgotten, the sign-in audited. */
    @Transactional
    public void completed(User user, String clientAddress, String how) {
        LoginFailure.delete("email = ?1 and clientAddress = ?2", user.email, clientAddress);
        audit.record(user, AuditAction.LOGIN, Outcome.SUCCESS, null, how);
    }

    /**
     * The signed-in user typing their password again before a sensitive step. Failures count
     * towards the same sign-in throttle, so the form cannot be used to guess it; the caller audits
     * a wrong password with what it was for.
     */
    @Transactional(dontRollbackOn = RuntimeException.class)
    public Result confirmPassword(User user, String password, String clientAddress) {
        Instant now = time.now();
        Optional<Duration> wait = throttle(user.email, clientAddress, now.minus(config.login().window()), now);
        if (wait.isPresent()) {
            audit.record(user, AuditAction.LOGIN_THROTTLED, Outcome.REFUSED, null, "password re-entry");
            return new Throttled(wait.get());
        }
        if (!passwords.verify(user, password)) {
            recordFailure(user.email, clientAddress, now, false);
            return new BadCredentials();
        }
        return new Confirmed(user);
    }

    /**
     * A two-factor code (or recovery code) of a user who has the second factor on, at sign-in or
     * before a sensitive step ({@code purpose} says which, for the audit trail). Throttled like
     * passwords, plus per person; every wrong code is audited here.
     */
    @Transactional(dontRollbackOn = RuntimeException.class)
    public Result confirmCode(User user, String code, String clientAddress, String purpose) {
        Instant now = time.now();
        Instant since = now.minus(config.login().window());
        Optional<Duration> wait = throttle(user.email, clientAddress, since, now)
                .or(() -> codeThrottle(user.email, since, now));
        if (wait.isPresent()) {
            audit.record(user, AuditAction.LOGIN_THROTTLED, Outcome.REFUSED, null, "two-factor code for " + purpose);
            return new Throttled(wait.get());
        }
        TwoFactorService.Check check = twoFactor.check(user, code);
        if (check.accepted()) {
            return new Confirmed(user, check == TwoFactorService.Check.RECOVERY_CODE);
        }
        recordFailure(user.email, clientAddress, now, true);
        audit.record(user, AuditAction.TWO_FACTOR_FAILED, Outcome.FAILURE, null, purpose);
        return new BadCredentials();
    }

    private boolean passwordMatches(User user, String password) {
        if (user == null || user.passwordHash == null) {
            return decoyCheck(password);
        }
        return passwords.verify(user, password);
    }

    /** A wrong password or code, counted by {@link #throttle} for the window. */
    private static void recordFailure(String email, String clientAddress, Instant now, boolean secondFactor) {
        LoginFailure failure = new LoginFailure();
        failure.email = email;
        failure.clientAddress = clientAddress == null ? "" : clientAddress;
        failure.occurredAt = now;
        failure.secondFactor = secondFactor;
        failure.persist();
    }

    private Optional<Duration> throttle(String email, String clientAddress, Instant since, Instant now) {
        String client = clientAddress == null ? "" : clientAddress;
        long pair = LoginFailure.count("email = ?1 and clientAddress = ?2 and occurredAt > ?3", email, client, since);
        long fromClient = LoginFailure.count("clientAddress = ?1 and occurredAt > ?2", client, since);
        if (pair < config.login().maxFailuresPerAccount() && fromClient < config.login().maxFailuresPerAddress()) {
            return Optional.empty();
        }
        // Wait until the oldest failure that counts leaves the window.
        Instant oldest = pair >= config.login().maxFailuresPerAccount()
                ? LoginFailure.find("select min(f.occurredAt) from LoginFailure f where f.email = ?1"
                        + " and f.clientAddress = ?2 and f.occurredAt > ?3", email, client, since)
                        .project(Instant.class).firstResult()
                : LoginFailure.find("select min(f.occurredAt) from LoginFailure f where f.clientAddress = ?1"
                        + " and f.occurredAt > ?2", client, since).project(Instant.class).firstResult();
        return Optional.of(until(oldest, now));
    }

    private Optional<Duration> codeThrottle(String email, Instant since, Instant now) {
        long codes = LoginFailure.count("email = ?1 and secondFactor = true and occurredAt > ?2", email, since);
        if (codes < config.twoFactor().maxCodeFailuresPerUser()) {
            return Optional.empty();
        }
        Instant oldest = LoginFailure.find("select min(f.occurredAt) from LoginFailure f where f.email = ?1"
                + " and f.secondFactor = true and f.occurredAt > ?2", email, since).project(Instant.class).firstResult();
        return Optional.of(until(oldest, now));
    }

    private Duration until(Instant oldest, Instant now) {
        Duration wait = Duration.between(now, oldest.plus(config.login().window()));
        return wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait;
    }

    private boolean decoyCheck(String password) {
        if (decoyHash == null) {
            decoyHash = passwords.hash("decoy-password-never-matches");
        }
        passwordHashes.verify(password == null ? "" : password, decoyHash);
        return false;
    }
}
