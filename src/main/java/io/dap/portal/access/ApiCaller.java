package io.dap.portal.access;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;

/**
 * The API token behind this request, if a token (not a browser session) is the caller. The
 * SessionUser attribute says who acts; this says with which token and within which scope.
 * Read from the request's authenticated user, so asking never waits for (or starts) authentication.
 */
@RequestScoped
public class ApiCaller {

    /** Identity attribute holding the {@link Token} of a request authenticated by an API token. */
    public static final String ATTRIBUTE = "portal.api-token";

    /** A Global token reaches every account its creator can act in; a Restricted one only {@code accountId}. */
    public record Token(Long id, String name, boolean global, Long accountId) {
    }

    @Inject
    CurrentVertxRequest request;

    public boolean present() {
        return token() != null;
    }

    /** The token of this request, or null for a browser session, an anonymous request or no HTTP request. */
    public Token token() {
        RoutingContext context = request.getCurrent();
        if (context == null || !(context.user() instanceof QuarkusHttpUser user)) {
            return null;
        }
        return user.getSecurityIdentity().getAttribute(ATTRIBUTE);
    }

    /** A Restricted token reaches its one account only; a Global token (or a session) is not narrowed. */
    public boolean reaches(Long accountId) {
        Token token = token();
        return token == null || token.global() || token.accountId().equals(accountId);
    }
}
