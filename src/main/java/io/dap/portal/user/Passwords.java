package io.dap.portal.user;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dap.portal.web.PortalConfig;
import io.quarkus.elytron.security.common.BcryptUtil;

/** How a password is stored (bcrypt at the configured cost) and checked. */
@ApplicationScoped
public class Passwords {

    @Inject
    PortalConfig config;

    /** False for a user who holds no password yet (never proved their address, R18). */
    public boolean verify(User user, String password) {
        return user.passwordHash != null && password != null && BcryptUtil.matches(password, user.passwordHash);
    }

    public String hash(String password) {
        return BcryptUtil.bcryptHash(password, config.password().bcryptCost());
    }
}
