package io.dap.portal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.support.Browser;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.PortalConfig;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A bcrypt hash of an earlier version, or an argon2id one at another cost than today's settings,
 * is replaced by one at today's cost at the first right password, and only then.
 */
@QuarkusTest
class PasswordUpgradeTest {

    @Inject
    Users users;

    @Inject
    PortalConfig config;

    @Test
    void theFirstSignInWithTheRightPasswordReplacesABcryptHash() {
        User user = users.active("bcrypt-era");
        String bcrypt = BcryptUtil.bcryptHash(Users.PASSWORD, 4);
        QuarkusTransaction.requiringNew().run(() -> User.<User>findById(user.id).passwordHash = bcrypt);

        Browser browser = new Browser();
        browser.post("/login", "email", user.email, "password", "not the password").then().statusCode(303);
        assertEquals(bcrypt, hashOf(user), "a wrong password changes nothing");

        browser.signIn(user.email, Users.PASSWORD);
        String upgraded = hashOf(user);
        assertTrue(upgraded.startsWith(todaysPrefix()), upgraded);
        new Browser().signIn(user.email, Users.PASSWORD);
        assertEquals(upgraded, hashOf(user), "an argon2id hash at today's cost stays as it is");
    }

    @Test
    void anArgon2idHashAtAnEarlierCostIsReplacedAtTheNextSignIn() {
        User user = users.active("argon2-older-cost");
        // The other OWASP set, as an installation that ran with it before the settings changed wrote it
        // (Debian's reference tool: echo -n "correct horse battery" | argon2 saltsaltsaltsalt -id -t 2 -k 19456 -p 1 -l 32 -e).
        String older = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$iPOQ5f2O21FsjnBvo1AiFcDuSXciCnKUrXFO+yfgNoM";
        QuarkusTransaction.requiringNew().run(() -> User.<User>findById(user.id).passwordHash = older);

        new Browser().post("/login", "email", user.email, "password", "not the password").then().statusCode(303);
        assertEquals(older, hashOf(user), "a wrong password changes nothing");

        new Browser().signIn(user.email, Users.PASSWORD);
        String upgraded = hashOf(user);
        assertTrue(upgraded.startsWith(todaysPrefix()), upgraded);
        new Browser().signIn(user.email, Users.PASSWORD);
        assertEquals(upgraded, hashOf(user), "then it stays as it is");
    }

    private String todaysPrefix() {
        return "$argon2id$v=19$m=" + config.password().argon2MemoryKib() + ",t=" + config.password().argon2Iterations()
                + ",p=" + config.password().argon2Parallelism() + "$";
    }

    private static String hashOf(User user) {
        return QuarkusTransaction.requiringNew().call(() -> User.<User>findById(user.id).passwordHash);
    }
}
