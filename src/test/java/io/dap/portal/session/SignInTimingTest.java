package io.dap.portal.session;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import io.dap.portal.account.Account;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Sign-in must not tell, by how long it takes, whether an address is unknown, waiting for
 * activation (it holds no password, R18) or known with a wrong password: each costs one bcrypt
 * comparison. Measured on the service with clients of their own, so the throttle never answers first.
 */
@QuarkusTest
class SignInTimingTest {

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    @Inject
    LoginService logins;

    @Inject
    Users users;

    @Test
    void unknownUnactivatedAndWrongPasswordTakeAsLongAsEachOther() {
        User active = users.active("timing");
        String pending = pendingAddress();
        String unknown = Users.uniqueEmail("nobody");

        long wrong = fastest(() -> logins.attempt(active.email, "not the password at all", client()));
        long unactivated = fastest(() -> logins.attempt(pending, "any password will do", client()));
        long nobody = fastest(() -> logins.attempt(unknown, "any password will do", client()));

        // A bcrypt comparison at the configured cost takes tens of milliseconds; a shortcut, well under one.
        assertTrue(wrong >= Duration.ofMillis(20).toNanos(), "a wrong password took only " + wrong + " ns");
        assertTrue(unactivated * 3 >= wrong, "unactivated: " + unactivated + " ns against " + wrong + " ns");
        assertTrue(nobody * 3 >= wrong, "unknown: " + nobody + " ns against " + wrong + " ns");
    }

    /** The quickest of a few runs, after one for warming up: the least noisy measure on a busy machine. */
    private static long fastest(Supplier<LoginService.Result> attempt) {
        assertTrue(attempt.get() instanceof LoginService.BadCredentials);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            LoginService.Result result = attempt.get();
            best = Math.min(best, System.nanoTime() - start);
            assertTrue(result instanceof LoginService.BadCredentials, String.valueOf(result));
        }
        return best;
    }

    /** An address someone was invited with or signed up with, never activated: no password at all. */
    @Transactional
    String pendingAddress() {
        User user = new User();
        user.email = Users.uniqueEmail("pending");
        user.displayName = "Pending";
        user.status = User.Status.PENDING_ACTIVATION;
        user.createdAt = Instant.now();
        user.persist();
        Account.openFor(user, user.createdAt);
        return user.email;
    }

    private static String client() {
        return "192.0.2." + CLIENTS.incrementAndGet() % 250;
    }
}
