package io.dap.portal.apitoken;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dap.portal.access.ApiCaller;
import io.dap.portal.access.SessionUser;
import io.dap.portal.session.SessionIdentityProvider;
import io.dap.portal.web.ThreadTransactions;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Turns a bearer token into the identity of its creator; the database lookup runs on a worker thread. */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenAuthenticationRequest> {

    @Inject
    ThreadTransactions threadTransactions;

    @Inject
    ApiTokenService tokens;

    @Override
    public Class<ApiTokenAuthenticationRequest> getRequestType() {
        return ApiTokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiTokenAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            threadTransactions.releaseLeftover();
            ApiTokenService.Resolved resolved = tokens.resolve(request.secret(), request.clientAddress());
            if (resolved == null) {
                throw new AuthenticationFailedException("no usable API token");
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(resolved.user().email()))
                    .addRole(SessionIdentityProvider.ROLE_USER)
                    .addAttribute(SessionUser.ATTRIBUTE, resolved.user())
                    .addAttribute(ApiCaller.ATTRIBUTE, resolved.token())
                    .build();
        });
    }
}
