package io.dap.portal.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.core.NewCookie;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Messages, field errors and submitted values that survive exactly one redirect (POST, 303, GET).
 * Kept in a short-lived cookie; {@link FlashCookieFilter} writes or clears it on the response.
 * Passwords are never put here.
 */
@Named("flash")
@RequestScoped
public class Flash {

    public static final String COOKIE = "portal_flash";
    /** Longer refilled values are cut: the flash cookie must stay small. */
    public static final int MAX_VALUE_LENGTH = 500;

    @Inject
    HttpServerRequest request;

    private JsonObject incoming;
    private JsonObject outgoing;

    private JsonObject incoming() {
        if (incoming == null) {
            incoming = new JsonObject();
            Cookie cookie = request.getCookie(COOKIE);
            if (cookie != null && !cookie.getValue().isEmpty()) {
                try {
                    String json = new String(Base64.getUrlDecoder().decode(cookie.getValue()), StandardCharsets.UTF_8);
                    JsonObject parsed = new JsonObject(json);
                    if (wellFormed(parsed)) {
                        incoming = parsed;
                    }
                } catch (RuntimeException ignored) {
                    // a damaged or forged flash cookie only loses a message
                }
            }
        }
        return incoming;
    }

    /**
     * The shape this class writes: kind and message are strings, errors and values map names to
     * strings. A cookie of any other shape (forged, or from another version) is ignored whole.
     */
    private static boolean wellFormed(JsonObject flash) {
        for (String key : flash.fieldNames()) {
            Object value = flash.getValue(key);
            boolean ok = switch (key) {
                case "kind", "message" -> value instanceof String;
                case "errors", "values" -> value instanceof JsonObject map
                        && map.stream().allMatch(entry -> entry.getValue() instanceof String);
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private JsonObject outgoing() {
        if (outgoing == null) {
            outgoing = new JsonObject();
        }
        return outgoing;
    }

    // Reading (templates)

    public boolean present() {
        return incoming().getString("message") != null;
    }

    public String message() {
        return incoming().getString("message", "");
    }

    /** success, error, info or warning. */
    public String kind() {
        return incoming().getString("kind", "info");
    }

    /** An error to show: the page then starts with the error summary, which takes the focus. */
    public boolean failed() {
        return present() && "error".equals(kind());
    }

    /** One field's error, linked from the error summary to the field (its id is f-name). */
    public record FieldError(String field, String message) {
    }

    /** The field errors in the order they were found. */
    public List<FieldError> fieldErrors() {
        JsonObject errors = incoming().getJsonObject("errors");
        List<FieldError> list = new ArrayList<>();
        if (errors != null) {
            errors.forEach(entry -> list.add(new FieldError(entry.getKey(), (String) entry.getValue())));
        }
        return list;
    }

    public String fieldError(String field) {
        JsonObject errors = incoming().getJsonObject("errors");
        return errors == null ? null : errors.getString(field);
    }

    public boolean hasFieldError(String field) {
        return fieldError(field) != null;
    }

    public String value(String field) {
        JsonObject values = incoming().getJsonObject("values");
        return values == null ? "" : values.getString(field, "");
    }

    // Writing (resources)

    public Flash success(String message) {
        return put("success", message);
    }

    public Flash error(String message) {
        return put("error", message);
    }

    public Flash info(String message) {
        return put("info", message);
    }

    public Flash warning(String message) {
        return put("warning", message);
    }

    private Flash put(String kind, String message) {
        outgoing().put("kind", kind).put("message", message);
        return this;
    }

    /** Field errors plus the values to refill the form with. */
    public Flash form(FormErrors errors, Map<String, String> values) {
        JsonObject fieldErrors = new JsonObject();
        errors.fields().forEach(fieldErrors::put);
        JsonObject refill = new JsonObject();
        values.forEach((name, value) -> {
            if (value != null) {
                refill.put(name, value.length() > MAX_VALUE_LENGTH ? value.substring(0, MAX_VALUE_LENGTH) : value);
            }
        });
        outgoing().put("errors", fieldErrors).put("values", refill);
        if (!outgoing().containsKey("message")) {
            error(errors.summary());
        }
        return this;
    }

    /** The Set-Cookie the response needs: the new flash, a deletion, or nothing. */
    NewCookie responseCookie(boolean secure) {
        if (outgoing != null && !outgoing.isEmpty()) {
            String encoded = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(outgoing.encode().getBytes(StandardCharsets.UTF_8));
            return cookie(encoded, 60, secure);
        }
        if (request.getCookie(COOKIE) != null) {
            return cookie("", 0, secure);
        }
        return null;
    }

    private static NewCookie cookie(String value, int maxAge, boolean secure) {
        return new NewCookie.Builder(COOKIE).value(value).path("/").maxAge(maxAge).httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).build();
    }
}
