package io.dap.portal.web;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;

/**
 * Security headers on every response the HTTP layer writes: pages, redirects, error pages,
 * static files and authentication challenges alike (added just before the headers go out).
 */
public class SecurityHeaders {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "object-src 'none'";

    @Inject
    PortalConfig config;

    void register(@Observes Filters filters) {
        boolean https = config.https();
        filters.register(context -> {
            // The raw path: a broken %-escape cannot be normalised, and RequestGuard refuses it next.
            String path = context.request().path();
            path = path == null ? "" : path;
            // Dev UI and Swagger UI ship their own inline scripts; they are not part of the portal.
            boolean tooling = path.startsWith("/q/dev-ui") || path.startsWith("/q/swagger-ui");
            context.addHeadersEndHandler(ignored -> apply(context.response().headers(), https, tooling));
            context.next();
        }, 1000);
    }

    /**
     * The headers themselves, also for responses written before any filter ran (a request the
     * router refused outright, e.g. a broken %-escape in the path).
     */
    public static void apply(MultiMap headers, boolean https, boolean tooling) {
        if (!tooling) {
            headers.set("Content-Security-Policy", CSP);
        }
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        if (https) {
            headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
        String type = headers.get("Content-Type");
        if (type != null && type.startsWith("text/html") && !headers.contains("Cache-Control")) {
            headers.set("Cache-Control", "no-store");
        }
    }
}
