package io.dap.portal.web;

import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import org.eclipse.microprofile.config.ConfigProvider;

import io.dap.portal.api.Problem;
import io.quarkus.arc.Arc;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * HTML error pages for every error status, without stack traces: exceptions from resources,
 * error statuses set without a body (e.g. a refused CSRF token) and errors raised before any
 * resource is reached (an unknown path, a body over the size limit). Under {@code /api/} the same
 * errors answer a JSON problem instead of a page.
 */
public class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(int status, String title, String message);

        /** Without the layout: rendered outside any request context. */
        static native TemplateInstance bare(int status, String title, String message);
    }

    public static Response page(int status) {
        if (Problem.isApiRequest()) {
            return Problem.forStatus(status).response();
        }
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(template(status)).build();
    }

    /** An error page that says more than the status: why this particular request was refused. */
    public static Response page(int status, String message) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(template(status, message)).build();
    }

    /**
     * The answer to an address that does not exist, exactly as the HTTP layer gives it (no header,
     * no forms): for pages whose very existence is not to be revealed (the operator console, R21).
     */
    public static Response unknownPath() {
        return Response.status(404).type("text/html;charset=UTF-8")
                .entity(Templates.bare(404, title(404), message(404)).render()).build();
    }

    /**
     * The layout's forms need the CSRF token, which the CSRF filter only prepares for requests
     * that matched a page; an unknown path gets the same page without the signed-in header.
     */
    private static TemplateInstance template(int status) {
        return template(status, message(status));
    }

    private static TemplateInstance template(int status, String message) {
        RoutingContext context = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        String tokenAttribute = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.rest-csrf.form-field-name", String.class).orElse("csrf-token");
        boolean layout = context != null && context.get(tokenAttribute) != null;
        return layout ? Templates.error(status, title(status), message) : Templates.bare(status, title(status), message);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return page(404);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return page(403);
    }

    @ServerExceptionMapper
    public Response forbidden(jakarta.ws.rs.ForbiddenException e) {
        return page(403);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        if (Problem.isApiRequest()) {
            return Problem.forStatus(401).response();
        }
        return Redirects.seeOther("/login");
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status < 400) {
            return e.getResponse();
        }
        if (status >= 500) {
            LOG.error("Request failed", e);
        }
        return Problem.isApiRequest() ? Problem.forError(e).response() : page(status);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("Unexpected error", e);
        return page(500);
    }

    /** Error statuses set without a body (e.g. a refused CSRF token) still get a page. */
    @ServerResponseFilter
    public void fillEmptyErrors(ContainerResponseContext response) {
        int status = response.getStatus();
        if (status >= 400 && !response.hasEntity() && Problem.isApiRequest()) {
            response.setEntity(Problem.forStatus(status).json(), null, MediaType.valueOf(Problem.MEDIA_TYPE));
        } else if (status >= 400 && !response.hasEntity()) {
            response.setEntity(template(status).render(), null, MediaType.TEXT_HTML_TYPE);
        }
    }

    /** Errors the HTTP layer raises itself: unknown paths and oversized bodies. */
    void routerErrors(@Observes Router router) {
        for (int status : new int[] { 404, 405, 413 }) {
            router.errorHandler(status, context -> {
                if (context.response().ended()) {
                    return;
                }
                if (Problem.isApiPath(context.normalizedPath())) {
                    context.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                            .end(Problem.forStatus(status).json());
                    return;
                }
                context.response().setStatusCode(status).putHeader("Content-Type", "text/html;charset=UTF-8")
                        .end(Templates.bare(status, title(status), message(status)).render());
            });
        }
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Sign-in required";
            case 403 -> "Not allowed";
            case 404 -> "Page not found";
            case 405 -> "Method not allowed";
            case 409 -> "Conflict";
            case 413 -> "Too large";
            case 415 -> "Unsupported content";
            case 429 -> "Too many requests";
            case 500 -> "Something went wrong";
            default -> status >= 500 ? "Service problem" : "Request refused";
        };
    }

    static String message(int status) {
        return switch (status) {
            case 400 -> "The request could not be understood. If you submitted a form, reload the page and try again.";
            case 403 -> "You can see this, but your role does not allow this change. Ask the account owner if you need it.";
            case 404 -> "There is nothing here, or you do not have access to it.";
            case 405 -> "This address does not accept that kind of request.";
            case 409 -> "Someone changed this at the same time. Reload the page and try again.";
            case 413 -> "What you sent is larger than the portal accepts.";
            case 429 -> "Too many attempts in a short time. Wait a little and try again.";
            case 500 -> "The portal hit an unexpected problem. Nothing was half-saved; try again in a moment.";
            default -> "The request could not be completed.";
        };
    }
}
