package io.dap.portal.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dap.portal.web.ThreadTransactions;
import io.dap.portal.access.SessionUser;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Turns a session cookie into a SecurityIdentity; the database lookup runs on a worker thread. */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<SessionAuthenticationRequest> {

    public static final String ROLE_USER = "user";

    @Inject
    ThreadTransactions threadTransactions;

    @Inject
    SessionService sessions;

    @Override
    public Class<SessionAuthenticationRequest> getRequestType() {
        return SessionAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(SessionAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            threadTransactions.releaseLeftover();
            SessionUser user = sessions.resolve(request.rawId());
            if (user == null) {
                throw new AuthenticationFailedException("no live session");
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(user.email()))
                    .addRole(ROLE_USER)
                    .addAttribute(SessionUser.ATTRIBUTE, user)
                    .build();
        });
    }
}
