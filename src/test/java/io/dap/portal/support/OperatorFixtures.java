package io.dap.portal.support;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.account.Account;
import io.dap.portal.session.LoginFailure;
import io.dap.portal.twofactor.RecoveryCode;
import io.dap.portal.twofactor.TwoFactor;
import io.dap.portal.user.User;
import io.dap.portal.user.Passwords;

/**
 * The operators of the test profile ({@code %test.portal.operators}): fixed addresses, so each is
 * made ready on demand — active, the fixture password, a fresh second factor or none, no failed
 * attempts left over from another test.
 */
@ApplicationScoped
public class OperatorFixtures {

    /** An operator with a second factor. */
    public static final String LEAD = "support-lead@operators.test";
    /** A second operator with a second factor. */
    public static final String AGENT = "support-agent@operators.test";
    /** An operator who has not set up a second factor. */
    public static final String NEWCOMER = "support-new@operators.test";

    @Inject
    Passwords passwords;

    @Inject
    TwoFactorCodes codes;

    private static volatile String passwordHash;

    public record Operator(User user, byte[] secret) {
    }

    /** The operator, with a new second factor (the secret an app would hold). */
    public Operator withTwoFactor(String email) {
        User user = reset(email);
        return new Operator(user, codes.enableDirect(user));
    }

    /** The operator, without a second factor. */
    public User withoutTwoFactor(String email) {
        return reset(email);
    }

    @Transactional
    User reset(String email) {
        User user = User.findByEmail(email).orElse(null);
        if (user == null) {
            Instant now = Instant.now();
            user = new User();
            user.email = email;
            user.displayName = "Support " + email.substring(0, email.indexOf('@'));
            user.createdAt = now;
            user.activatedAt = now;
            user.passwordChangedAt = now;
            user.status = User.Status.ACTIVE;
            user.passwordHash = "";
            user.persist();
            Account.openFor(user, now);
        }
        if (passwordHash == null) {
            passwordHash = passwords.hash(Users.PASSWORD);
        }
        user.passwordHash = passwordHash;
        user.status = User.Status.ACTIVE;
        RecoveryCode.delete("userId", user.id);
        TwoFactor.delete("userId", user.id);
        LoginFailure.delete("email", email);
        return user;
    }
}
