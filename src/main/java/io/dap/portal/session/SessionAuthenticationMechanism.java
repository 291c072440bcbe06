package io.dap.portal.session;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads the session cookie on every request. An unknown or expired session is simply anonymous
 * (public pages keep working); a protected page then answers with a redirect to the sign-in page.
 */
@ApplicationScoped
public class SessionAuthenticationMechanism implements HttpAuthenticationMechanism {

    @Inject
    PortalConfig config;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        // The JSON API takes API tokens only: a browser's cookie never authenticates it (no CSRF route in).
        if (Problem.isApiPath(context.normalizedPath())) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        Cookie cookie = context.request().getCookie(config.session().cookieName());
        if (cookie == null || cookie.getValue().isEmpty()) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        var request = new SessionAuthenticationRequest(cookie.getValue());
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return identityProviderManager.authenticate(request)
                .onFailure(AuthenticationFailedException.class).recoverWithNull();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        String location = "/login";
        if (context.request().method() == HttpMethod.GET) {
            String uri = context.request().uri();
            location += "?next=" + URLEncoder.encode(uri, StandardCharsets.UTF_8);
        }
        return Uni.createFrom().item(new ChallengeData(303, "Location", location));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(SessionAuthenticationRequest.class);
    }
}
