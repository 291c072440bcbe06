package io.dap.portal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.support.Browser;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** A bcrypt hash of an earlier version is replaced by an argon2id one at the first right password, and only then. */
@QuarkusTest
class PasswordUpgradeTest {

    @Inject
    Users users;

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
        assertTrue(upgraded.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), upgraded);
        new Browser().signIn(user.email, Users.PASSWORD);
        assertEquals(upgraded, hashOf(user), "an argon2id hash at today's cost stays as it is");
    }

    private static String hashOf(User user) {
        return QuarkusTransaction.requiringNew().call(() -> User.<User>findById(user.id).passwordHash);
    }
}
