package io.dap.portal.operator;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.dap.portal.access.Operators;
import io.dap.portal.access.SessionUser;
import io.dap.portal.web.ErrorPages;
import io.dap.portal.web.Flash;
import io.dap.portal.web.Redirects;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;

/**
 * R21: to anyone who is not an operator, nothing under {@code /operator} exists. Before any page
 * is matched, such a request — whatever its method, path or form — is turned into a plain GET of
 * {@link ConsoleRefusedResource}, which records the refusal and answers 404 like an unknown page;
 * so neither a "method not allowed" nor a refused CSRF token can tell that the console is there.
 * This check needs no database (the address is compared with {@code portal.operators}); the second
 * factor is checked after matching, by {@link OperatorPolicy}.
 */
public class ConsoleGate {

    /** The original method and path of a refused request, for the audit entry. */
    static final String ORIGINAL = "portal.console-refused";

    @Inject
    Operators operators;

    @Inject
    Flash flash;

    @ServerRequestFilter(preMatching = true)
    public void hideFromNonOperators(ContainerRequestContext request, RoutingContext routing) {
        String path = request.getUriInfo().getPath();
        if (!isConsole(path)) {
            return;
        }
        // Read from the request's authenticated user: no blocking call before matching.
        SessionUser signedIn = routing.user() instanceof QuarkusHttpUser user
                ? user.getSecurityIdentity().getAttribute(SessionUser.ATTRIBUTE)
                : null;
        if (signedIn != null && operators.isOperator(signedIn.realEmail())) {
            return;
        }
        routing.put(ORIGINAL, request.getMethod() + " " + path);
        request.setMethod("GET");
        request.setRequestUri(request.getUriInfo().getBaseUriBuilder().path(ConsoleRefusedResource.PATH).build());
    }

    static boolean isConsole(String path) {
        return path.equals("/operator") || path.startsWith("/operator/");
    }

    @ServerExceptionMapper
    public Response needsTwoFactor(OperatorPolicy.OperatorNeedsTwoFactor e) {
        flash.warning("The operator console needs two-factor sign-in. Set it up here, then open the console again.");
        return Redirects.seeOther("/settings/two-factor");
    }

    @ServerExceptionMapper
    public Response whileActing(OperatorPolicy.ConsoleWhileActing e) {
        return ErrorPages.page(409, "You are acting as " + e.userEmail() + ". Stop acting as them (the button in the"
                + " banner) to use the operator console again.");
    }
}
