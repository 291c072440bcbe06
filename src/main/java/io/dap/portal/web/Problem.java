package io.dap.portal.web;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * An RFC 9457 problem-details body, the one error shape of the JSON API. {@code errors} names
 * the fields of a refused request, with the message the page would show next to each.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, Map<String, String> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String API_PREFIX = "/api/";

    public static Problem of(int status, String detail) {
        return new Problem("about:blank", title(status), status, detail, null);
    }

    public static Problem invalid(Map<String, String> errors) {
        return new Problem("about:blank", title(400), 400, "Some fields are not valid; see errors.", errors);
    }

    public Response response() {
        return Response.status(status).type(MEDIA_TYPE).entity(json()).build();
    }

    /** For writers outside JAX-RS (the authentication challenge, router errors). */
    public String json() {
        JsonObject json = new JsonObject().put("type", type).put("title", title).put("status", status)
                .put("detail", detail);
        if (errors != null) {
            json.put("errors", new JsonObject(Map.copyOf(errors)));
        }
        return json.encode();
    }

    public static boolean isApiPath(String path) {
        if (path == null) {
            return false;
        }
        // Routing ignores ";…" path parameters, so "/api;x/v1" reaches the API: it must count as API here too.
        String plain = path.indexOf(';') < 0 ? path : path.replaceAll(";[^/]*", "");
        return plain.equals("/api") || plain.startsWith(API_PREFIX);
    }

    /** Whether the current HTTP request is an API call, so errors answer JSON instead of an HTML page. */
    public static boolean isApiRequest() {
        var request = Arc.container().instance(CurrentVertxRequest.class);
        RoutingContext context = request.isAvailable() ? request.get().getCurrent() : null;
        return context != null && isApiPath(context.normalizedPath());
    }

    /** The same problem for an error status whatever caused it: no detail that tells one cause from another. */
    public static Problem forStatus(int status) {
        return of(status, switch (status) {
            case 400 -> "The request could not be understood.";
            case 401 -> "A valid API token is required, sent as: Authorization: Bearer dap_…";
            case 403 -> "Your role does not allow this action here.";
            case 404 -> "There is nothing here, or the token has no access to it.";
            case 405 -> "This address does not accept that method.";
            case 406 -> "The API answers application/json only.";
            case 409 -> "Someone changed this at the same time; read it again and retry.";
            case 413 -> "The request body is larger than the portal accepts.";
            case 414 -> "The request URI is longer than the portal accepts.";
            case 415 -> "Send a JSON body with Content-Type: application/json (UTF-8).";
            case 429 -> "Too many requests; wait a little and retry.";
            case 431 -> "The request headers are larger than the portal accepts.";
            case 503 -> "The portal cannot reach its database right now; nothing was changed. Retry later.";
            default -> status >= 500 ? "The portal hit an unexpected problem; nothing was half-saved."
                    : "The request could not be completed.";
        });
    }

    /** An error raised by the framework: a body Jackson could not parse says so, naming the body. */
    public static Problem forError(jakarta.ws.rs.WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 400 && e.getCause() instanceof com.fasterxml.jackson.core.JacksonException) {
            Problem duplicate = duplicateField(e.getCause());
            return duplicate != null ? duplicate : invalid(Map.of("body", "The body is not valid JSON for this request."));
        }
        return forStatus(status);
    }

    /** A field named twice (STRICT_DUPLICATE_DETECTION, see StrictJson), as a 400 naming it; else null. */
    public static Problem duplicateField(Throwable jsonError) {
        if (jsonError instanceof com.fasterxml.jackson.core.JacksonException jackson) {
            Matcher duplicate = DUPLICATE.matcher(String.valueOf(jackson.getOriginalMessage()));
            if (duplicate.find()) {
                return Problem.invalid(Map.of(duplicate.group(1), "This field appears more than once."));
            }
        }
        return null;
    }

    /** Jackson's words for a field named twice (STRICT_DUPLICATE_DETECTION, see StrictJson). */
    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '([A-Za-z0-9_]{1,64})'");

    public static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Server Error" : "Request Refused";
        };
    }
}
