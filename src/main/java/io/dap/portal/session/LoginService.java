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
import io.dap.portal.user.User;
import io.dap.portal.user.UserService;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.TimeSource;
import io.quarkus.elytron.security.common.BcryptUtil;

/**
 * Password sign-in with throttling over a sliding window. Failures are counted per
 * (address, client) pair and per client, so an attacker elsewhere cannot lock a victim out:
 * the victim's own client is only slowed by its own failures, and never for longer than the window.
 */
@ApplicationScoped
public class LoginService {

    public sealed interface Result {
    }

    public record SignedIn(User user) implements Result {
    }

    public record BadCredentials() implements Result {
    }

    public record NotActivated() implements Result {
    }

    public record Throttled(Duration retryAfter) implements Result {
    }

    @Inject
    PortalConfig config;

    @Inject
    TimeSource time;

    @Inject
    UserService users;

    @Inject
    AuditLog audit;

    /** A bcrypt hash to compare against when the address is unknown, so timing does not tell. */
    private volatile String decoyHash;

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
        boolean matches = found.isPresent() ? users.verify(found.get(), password) : decoyCheck(password);
        if (!matches) {
            recordFailure(email, clientAddress, now);
            audit.record(found.map(u -> u.id).orElse(null), email, AuditAction.LOGIN_FAILED, Outcome.FAILURE, null,
                    null);
            return new BadCredentials();
        }
        User user = found.get();
        if (user.status == User.Status.PENDING_ACTIVATION) {
            return new NotActivated();
        }
        if (!user.isActive()) {
            return new BadCredentials();
        }
        LoginFailure.delete("email = ?1 and clientAddress = ?2", email, clientAddress);
        audit.record(user, AuditAction.LOGIN, Outcome.SUCCESS, null, null);
        return new SignedIn(user);
    }

    /**
     * The signed-in user typing their password again before a sensitive step (impersonation).
     * Failures count towards the same sign-in throttle, so the form cannot be used to guess it;
     * the caller audits a wrong password with what it was for.
     */
    @Transactional(dontRollbackOn = RuntimeException.class)
    public Result confirmPassword(User user, String password, String clientAddress) {
        Instant now = time.now();
        Optional<Duration> wait = throttle(user.email, clientAddress, now.minus(config.login().window()), now);
        if (wait.isPresent()) {
            audit.record(user, AuditAction.LOGIN_THROTTLED, Outcome.REFUSED, null, "password re-entry");
            return new Throttled(wait.get());
        }
        if (!users.verify(user, password)) {
            recordFailure(user.email, clientAddress, now);
            return new BadCredentials();
        }
        return new SignedIn(user);
    }

    /** A wrong password, counted by {@link #throttle} for the window. */
    private static void recordFailure(String email, String clientAddress, Instant now) {
        LoginFailure failure = new LoginFailure();
        failure.email = email;
        failure.clientAddress = clientAddress;
        failure.occurredAt = now;
        failure.persist();
    }

    private Optional<Duration> throttle(String email, String clientAddress, Instant since, Instant now) {
        long pair = LoginFailure.count("email = ?1 and clientAddress = ?2 and occurredAt > ?3", email, clientAddress,
                since);
        long client = LoginFailure.count("clientAddress = ?1 and occurredAt > ?2", clientAddress, since);
        if (pair < config.login().maxFailuresPerAccount() && client < config.login().maxFailuresPerAddress()) {
            return Optional.empty();
        }
        // Wait until the oldest failure that counts leaves the window.
        Instant oldest = pair >= config.login().maxFailuresPerAccount()
                ? LoginFailure.find("select min(f.occurredAt) from LoginFailure f where f.email = ?1"
                        + " and f.clientAddress = ?2 and f.occurredAt > ?3", email, clientAddress, since)
                        .project(Instant.class).firstResult()
                : LoginFailure.find("select min(f.occurredAt) from LoginFailure f where f.clientAddress = ?1"
                        + " and f.occurredAt > ?2", clientAddress, since).project(Instant.class).firstResult();
        Duration wait = Duration.between(now, oldest.plus(config.login().window()));
        return Optional.of(wait.isNegative() ? Duration.ofSeconds(1) : wait);
    }

    private boolean decoyCheck(String password) {
        if (decoyHash == null) {
            decoyHash = users.hash("decoy-password-never-matches");
        }
        BcryptUtil.matches(password == null ? "" : password, decoyHash);
        return false;
    }
}
