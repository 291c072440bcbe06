package io.dap.portal.support;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.account.Account;
import io.dap.portal.user.Passwords;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;

/** Fixtures: unique addresses per test, and active users created directly when a flow is not under test. */
@ApplicationScoped
public class Users {

    public static final String PASSWORD = "correct horse battery";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Inject
    Passwords passwords;

    @Inject
    TimeSource time;

    /** Every fixture user has the same password, so one (slow, cost-12) hash serves them all. */
    private static volatile String passwordHash;

    private String passwordHash() {
        if (passwordHash == null) {
            passwordHash = passwords.hash(PASSWORD);
        }
        return passwordHash;
    }

    public static String uniqueEmail(String prefix) {
        return prefix + "-" + System.nanoTime() + "-" + SEQUENCE.incrementAndGet() + "@example.org";
    }

    @Transactional
    public User active(String email, String displayName) {
        User user = new User();
        user.email = email;
        user.displayName = displayName;
        user.passwordHash = passwordHash();
        user.status = User.Status.ACTIVE;
        user.createdAt = time.now();
        user.activatedAt = user.createdAt;
        user.passwordChangedAt = user.createdAt;
        user.persist();
        Account.openFor(user, user.createdAt);
        return user;
    }

    public User active(String prefix) {
        return active(uniqueEmail(prefix), "Test " + prefix);
    }
}
