package io.dap.portal.apitoken;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.dap.portal.web.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;

/**
 * {@code Authorization: Bearer dap_…} on {@code /api/*} only: the header, never a query parameter
 * or a cookie. Any token that does not work (unknown, tampered, revoked, expired, its creator
 * disabled) leaves the request anonymous, so every such request gets the same 401 problem body.
 * Runs before the session mechanism so the API's challenge, not the sign-in redirect, answers.
 */
@ApplicationScoped
public class ApiTokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "bearer ";
    /** Our secrets are 47 characters; anything far longer is not worth hashing. */
    private static final int MAX_LENGTH = 512;

    @Override
    public Uni<SecurityIdentity> authenticate(io.vertx.ext.web.RoutingContext context,
            IdentityProviderManager identityProviderManager) {
        if (!Problem.isApiPath(context.normalizedPath())) {
            return Uni.createFrom().nullItem();
        }
        String header = context.request().getHeader("Authorization");
        if (header == null || header.length() <= BEARER.length() || header.length() > MAX_LENGTH
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().nullItem();
        }
        String address = context.request().remoteAddress() == null ? null
                : context.request().remoteAddress().hostAddress();
        var request = new ApiTokenAuthenticationRequest(header.substring(BEARER.length()).strip(), address);
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return identityProviderManager.authenticate(request)
                .onFailure(AuthenticationFailedException.class).recoverWithNull();
    }

    @Override
    public Uni<ChallengeData> getChallenge(io.vertx.ext.web.RoutingContext context) {
        if (!Problem.isApiPath(context.normalizedPath())) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    /** On API paths: 401 with a problem body. Elsewhere the session mechanism answers (the sign-in redirect). */
    @Override
    public Uni<Boolean> sendChallenge(io.vertx.ext.web.RoutingContext context) {
        if (!Problem.isApiPath(context.normalizedPath())) {
            return Uni.createFrom().item(false);
        }
        context.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
                .putHeader("Content-Type", Problem.MEDIA_TYPE).putHeader("Cache-Control", "no-store")
                .end(Problem.forStatus(401).json());
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiTokenAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1000;
    }
}
