package io.dap.portal.user;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** How a password is stored and checked, for a user: the hashes themselves are {@link PasswordHashes}'. */
@ApplicationScoped
public class Passwords {

    @Inject
    PasswordHashes hashes;

    /** False for a user who holds no password yet (never proved their address, R18). */
    public boolean verify(User user, String password) {
        return user.passwordHash != null && password != null && hashes.verify(password, user.passwordHash);
    }

    public String hash(String password) {
        return hashes.hash(password);
    }

    /**
     * After a right password: a hash from an earlier version or at an older cost is replaced by
     * one at today's cost (the password is known only now).
     */
    public void upgrade(User user, String password) {
        if (hashes.needsUpgrade(user.passwordHash)) {
            user.passwordHash = hashes.hash(password);
        }
    }
}
