package io.dap.portal.web;

import java.util.Set;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.arc.Arc;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * HTML error pages for every error status, without stack traces: exceptions from resources,
 * error statuses set without a body (e.g. a refused CSRF token) and errors raised before any
 * resource is reached (an unknown path, a body over the size limit, a path the router could not
 * decode, a failure while authenticating). Under {@code /api/} the same errors answer a JSON
 * problem instead of a page. A database that cannot be reached answers 503, never a 500 and never
 * a page that acts as if the visitor were signed out (fail closed).
 */
public class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);
    /** Seconds a client is asked to wait when the database is unavailable. */
    static final int UNAVAILABLE_RETRY_AFTER = 30;
    /** Statuses the HTTP layer itself may answer with, before or without any resource. */
    private static final int[] ROUTER_STATUSES = { 400, 404, 405, 406, 413, 414, 415, 431, 500, 501, 503 };

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(int status, String title, String message);

        /** Without the layout: rendered outside any request context. */
        static native TemplateInstance bare(int status, String title, String message);
    }

    private static final MediaType HTML = MediaType.valueOf("text/html;charset=UTF-8");

    static final String BUSY_TITLE = "Busy";
    static final String BUSY_MESSAGE = "The portal has more to do than it can take right now. Nothing was changed;"
            + " try again in a moment.";
    private static final String BUSY_DETAIL = "The portal is busy; nothing was changed. Retry after the Retry-After"
            + " header's seconds.";

    public static Response page(int status) {
        Response.ResponseBuilder response;
        if (Problem.isApiRequest()) {
            response = Response.fromResponse(Problem.forStatus(status).response());
        } else {
            response = Response.status(status).type(HTML).entity(template(status));
        }
        if (status == 503) {
            response.header("Retry-After", UNAVAILABLE_RETRY_AFTER);
        }
        return response.build();
    }

    /** An error page that says more than the status: why this particular request was refused. */
    public static Response page(int status, String message) {
        return Response.status(status).type(HTML).entity(template(status, message)).build();
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
        // The layout asks the database (notifications, invitations): not for a server-side failure.
        boolean layout = status < 500 && context != null && context.get(tokenAttribute) != null;
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

    /** Past a limit (R20): when to try again, in the header and in words. */
    @ServerExceptionMapper
    public Response tooManyRequests(TooManyRequests e) {
        Response.ResponseBuilder response = Problem.isApiRequest()
                ? Response.fromResponse(Problem.of(429, "Too many requests of this kind. " + e.advice()).response())
                : Response.status(429).type(HTML).entity(template(429, "Too many requests of this kind in a short"
                        + " time; nothing was sent. " + e.advice()));
        return response.header("Retry-After", e.retryAfterSeconds()).build();
    }

    @Inject
    DatabaseProbe database;

    @Inject
    ThreadTransactions threadTransactions;

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        // Mapped on the thread that failed: a transaction the reaper ended may still be bound to it.
        boolean leftover = threadTransactions.releaseLeftover();
        if (leftover || Failures.transactionTimedOut(e)) {
            LOG.warnf("Transaction timed out: %s", summary(e));
            return busyPage();
        }
        int status = Failures.status(e, database::reachable);
        if (status == 503) {
            LOG.warnf("Database unavailable: %s", summary(e));
        } else if (status == 500) {
            LOG.error("Unexpected error", e);
        } else {
            LOG.debugf("Unreadable request body: %s", summary(e));
        }
        return page(status);
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

    /** Too much work at once ({@link Overloaded}): a quick 503, and when to try again. */
    @ServerExceptionMapper
    public Response overloaded(Overloaded e) {
        return busyPage();
    }

    /**
     * The portal has more to do than it takes on (a full line, a transaction that ran out of time):
     * 503 with a short Retry-After. Never the layout, which asks the database.
     */
    public static Response busyPage() {
        Response.ResponseBuilder response = Problem.isApiRequest()
                ? Response.fromResponse(Problem.of(503, BUSY_DETAIL).response())
                : Response.status(503).type(HTML).entity(Templates.bare(503, BUSY_TITLE, BUSY_MESSAGE));
        return response.header("Retry-After", Overloaded.RETRY_AFTER_SECONDS).build();
    }

    /** The same 503 written before any resource was reached (AdmissionControl). */
    static void busy(RoutingContext context) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        boolean https = ConfigProvider.getConfig().getOptionalValue("portal.https", Boolean.class).orElse(false);
        response.setStatusCode(503).putHeader("Retry-After", String.valueOf(Overloaded.RETRY_AFTER_SECONDS));
        SecurityHeaders.apply(response.headers(), https, false);
        if (Problem.isApiPath(path(context))) {
            response.putHeader("Content-Type", Problem.MEDIA_TYPE).end(Problem.of(503, BUSY_DETAIL).json());
        } else {
            response.putHeader("Content-Type", "text/html;charset=UTF-8")
                    .end(Templates.bare(503, BUSY_TITLE, BUSY_MESSAGE).render());
        }
    }

    /**
     * Errors the HTTP layer raises itself: unknown paths, oversized bodies, paths it cannot decode,
     * and failures outside any resource (e.g. the database gone while a session is looked up).
     * Security exceptions stay with Quarkus, which turns them into the sign-in redirect or a 401.
     */
    void routerErrors(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> {
            Throwable failure = context.failure();
            if (failure != null && isSecurity(failure) || context.statusCode() == 401 || context.statusCode() == 403) {
                context.next();
                return;
            }
            int status;
            String uri = context.request().uri();
            if (uri == null || !RequestGuard.validUri(uri) || RequestGuard.pathStatus(context.request().path()) == 400) {
                // Whatever failed, it failed on an address that was never valid.
                status = 400;
            } else if (failure == null || context.statusCode() >= 400 && context.statusCode() != 500) {
                // An explicit status (the router's own 400, a body handler's 413): keep it.
                status = context.statusCode() >= 400 ? context.statusCode() : 500;
            } else if (failure instanceof HttpException http && http.getStatusCode() >= 400) {
                status = http.getStatusCode();
            } else if (Failures.fromDatabase(failure)) {
                // e.g. the session lookup during authentication: ask the database, off the event loop
                context.vertx().<Integer>executeBlocking(() -> Failures.status(failure, database::reachable), false)
                        .onComplete(result -> {
                            int found = result.succeeded() ? result.result() : 503;
                            log(found, failure);
                            write(context, found);
                        });
                return;
            } else {
                status = Failures.status(failure);
                log(status, failure);
            }
            write(context, status);
        });
        for (int status : ROUTER_STATUSES) {
            router.errorHandler(status, context -> write(context, status));
        }
    }

    private static void log(int status, Throwable failure) {
        if (status == 500) {
            LOG.error("Request failed", failure);
        } else if (status == 503) {
            LOG.warnf("Database unavailable: %s", summary(failure));
        }
    }

    /** Ends the response with our page or problem, the security headers included. */
    public static void write(RoutingContext context, int status) {
        HttpServerResponse response = context.response();
        if (response.ended()) {
            return;
        }
        if (response.headWritten()) {
            response.end();
            return;
        }
        response.setStatusCode(status);
        boolean https = ConfigProvider.getConfig().getOptionalValue("portal.https", Boolean.class).orElse(false);
        if (status == 503) {
            response.putHeader("Retry-After", String.valueOf(UNAVAILABLE_RETRY_AFTER));
        }
        if (Problem.isApiPath(path(context))) {
            response.putHeader("Content-Type", Problem.MEDIA_TYPE);
            SecurityHeaders.apply(response.headers(), https, false);
            response.end(Problem.forStatus(status).json());
            return;
        }
        response.putHeader("Content-Type", "text/html;charset=UTF-8");
        SecurityHeaders.apply(response.headers(), https, false);
        response.end(Templates.bare(status, title(status), message(status)).render());
    }

    /** The normalised path, or the raw one when the router could not normalise it. */
    private static String path(RoutingContext context) {
        try {
            String normalized = context.normalizedPath();
            return normalized != null ? normalized : context.request().path();
        } catch (RuntimeException e) {
            return context.request().path();
        }
    }

    private static final Set<String> SECURITY_EXCEPTIONS = Set.of("io.quarkus.security.UnauthorizedException",
            "io.quarkus.security.ForbiddenException", "io.quarkus.security.AuthenticationFailedException",
            "io.quarkus.security.AuthenticationCompletionException",
            "io.quarkus.security.AuthenticationRedirectException");

    private static boolean isSecurity(Throwable failure) {
        return SECURITY_EXCEPTIONS.contains(failure.getClass().getName());
    }

    private static String summary(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e.getClass().getSimpleName() + (root == e ? "" : " caused by " + root.getClass().getSimpleName()
                + ": " + root.getMessage());
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Sign-in required";
            case 403 -> "Not allowed";
            case 404 -> "Page not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable";
            case 409 -> "Conflict";
            case 413 -> "Too large";
            case 414 -> "Address too long";
            case 415 -> "Unsupported content";
            case 429 -> "Too many requests";
            case 431 -> "Headers too large";
            case 500 -> "Something went wrong";
            case 503 -> "Temporarily unavailable";
            default -> status >= 500 ? "Service problem" : "Request refused";
        };
    }

    static String message(int status) {
        return switch (status) {
            case 400 -> "The request could not be understood. If you submitted a form, reload the page and try again.";
            case 403 -> "You can see this, but your role does not allow this change. Ask the account owner if you need it.";
            case 404 -> "There is nothing here, or you do not have access to it.";
            case 405 -> "This address does not accept that kind of request.";
            case 406 -> "The portal cannot answer in a format your browser accepts.";
            case 409 -> "Someone changed this at the same time. Reload the page and try again.";
            case 413 -> "What you sent is larger than the portal accepts.";
            case 414 -> "This address is longer than the portal accepts.";
            case 415 -> "The portal could not read what was sent: forms are sent as UTF-8.";
            case 429 -> "Too many attempts in a short time. Wait a little and try again.";
            case 431 -> "The request carried more header data than the portal accepts.";
            case 500 -> "The portal hit an unexpected problem. Nothing was half-saved; try again in a moment.";
            case 503 -> "The portal cannot reach its database right now. Nothing was changed; try again in a"
                    + " minute.";
            default -> "The request could not be completed.";
        };
    }
}
