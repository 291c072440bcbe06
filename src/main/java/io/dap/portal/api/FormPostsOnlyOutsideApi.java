package io.dap.portal.api;

import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.dap.portal.web.Problem;
import io.vertx.ext.web.RoutingContext;

/**
 * The CSRF boundary between the pages and the API. quarkus-rest-csrf checks the token of form posts;
 * with {@code require-form-url-encoded=false} it lets other bodies through, which the JSON API
 * needs (its calls carry a bearer token, never a cookie that a browser would add by itself). The
 * pages keep the stricter rule here: a state-changing request that is not a form (a cross-site
 * {@code text/plain} post, a body-less fetch) is refused, exactly as {@code require-form-url-encoded=true} did.
 */
public class FormPostsOnlyOutsideApi {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @ConfigProperty(name = "quarkus.rest-csrf.token-header-name", defaultValue = "X-CSRF-TOKEN")
    String tokenHeader;

    @ServerRequestFilter
    public Response refuseNonFormPosts(ContainerRequestContext request, RoutingContext routing) {
        if (SAFE.contains(request.getMethod()) || Problem.isApiPath(routing.normalizedPath())
                || request.getHeaderString(tokenHeader) != null) {
            return null;
        }
        MediaType type = request.getMediaType();
        boolean form = type != null && (MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(type)
                || MediaType.MULTIPART_FORM_DATA_TYPE.isCompatible(type));
        return form ? null : Response.status(Response.Status.BAD_REQUEST).build();
    }
}
