package io.dap.portal.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses what no resource should ever see, before authentication and routing:
 * <ul>
 * <li>a path with a dot segment ({@code ..}, {@code %2e%2e}, {@code .;x}) or a segment that decodes to
 * a control character, a slash or a backslash: 404, like any unknown path. The router would resolve
 * {@code …/drives/%2e%2e} to the infrastructure itself, so a DELETE meant for a drive would reach
 * its parent;</li>
 * <li>a request target that is not a valid URI (a broken %-escape, a space, a quote): 400. This is
 * the check Quarkus makes before any handler, where it answers a bare 400; PortalMain turns that one
 * off so this check answers instead, with the page and the security headers;</li>
 * <li>a query string holding a NUL character ({@code %00}): 400. No text the portal keeps or searches
 * can hold one, and PostgreSQL refuses it in any statement parameter, so a search for it would
 * otherwise fail deep in a query (form and JSON fields are refused by their own validation);</li>
 * <li>a request line longer than {@link #MAX_URI_LENGTH}: 414 (the HTTP codec's own limit is set
 * higher, so that ours answers with a page and the security headers);</li>
 * <li>a body declared larger than {@code quarkus.http.limits.max-body-size}: 413 with the page (Quarkus'
 * own refusal next in line has no body);</li>
 * <li>a body whose Content-Type cannot be parsed, or names a charset that does not exist (the form
 * reader would fail on it): 415;</li>
 * <li>an {@code Accept} or {@code Accept-Language} header that cannot be parsed is dropped, so the
 * page answers as for any browser.</li>
 * </ul>
 */
public class RequestGuard {

    /** Longer request targets (path and query) are refused; ids of 5,000 characters still reach a 404. */
    public static final int MAX_URI_LENGTH = 8192;

    private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final Pattern MEDIA_TYPE = Pattern.compile(TOKEN + "/" + TOKEN);
    private static final Pattern PARAMETER = Pattern.compile("(" + TOKEN + ")=(" + TOKEN + "|\"(?:[^\"\\\\\\p{Cntrl}]|\\\\.)*\")");
    private static final Pattern QUALITY = Pattern.compile("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?");
    /** Language ranges with optional weights, e.g. "en-GB,en;q=0.9,*;q=0.5". */
    private static final Pattern LANGUAGES = Pattern.compile("\\s*(\\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)"
            + "(\\s*;\\s*q=(0(\\.[0-9]{0,3})?|1(\\.0{0,3})?))?(\\s*,\\s*(\\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)"
            + "(\\s*;\\s*q=(0(\\.[0-9]{0,3})?|1(\\.0{0,3})?))?)*\\s*");
    private static final Pattern MEDIA_RANGE = Pattern.compile("\\*/\\*|" + TOKEN + "/\\*|" + TOKEN + "/" + TOKEN);

    /** quarkus.http.limits.max-body-size, in bytes. */
    private long maxBodySize = Long.MAX_VALUE;

    void register(@Observes Filters filters) {
        maxBodySize = ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size",
                MemorySize.class).map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        // After SecurityHeaders (1000), so refusals carry the headers; before authentication.
        filters.register(this::check, 900);
    }

    void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        String uri = request.uri();
        if (uri != null && uri.length() > MAX_URI_LENGTH) {
            ErrorPages.write(context, 414);
            return;
        }
        if (uri == null || !validUri(uri)) {
            ErrorPages.write(context, 400);
            return;
        }
        if (holdsNul(request.query())) {
            ErrorPages.write(context, 400);
            return;
        }
        int pathStatus = pathStatus(request.path());
        if (pathStatus != 0) {
            ErrorPages.write(context, pathStatus);
            return;
        }
        String accept = request.getHeader("Accept");
        if (accept != null && !acceptable(accept)) {
            request.headers().remove("Accept");
        }
        String languages = request.getHeader("Accept-Language");
        if (languages != null && (languages.length() > 1000 || !LANGUAGES.matcher(languages).matches())) {
            request.headers().remove("Accept-Language");
        }
        if (declaredBodyTooLarge(request.getHeader("Content-Length"))) {
            // Quarkus would refuse it next, with an empty 413 and no page.
            context.response().putHeader("Connection", "close");
            ErrorPages.write(context, 413);
            return;
        }
        String contentType = request.getHeader("Content-Type");
        if (contentType != null && WITH_BODY.contains(request.method()) && !readableContentType(contentType)) {
            ErrorPages.write(context, 415);
            return;
        }
        context.next();
    }

    private boolean declaredBodyTooLarge(String contentLength) {
        if (contentLength == null) {
            return false;
        }
        try {
            return Long.parseLong(contentLength.strip()) > maxBodySize;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static boolean validUri(String uri) {
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Whether a raw (still %-encoded) query string decodes to a NUL character anywhere. */
    static boolean holdsNul(String rawQuery) {
        if (rawQuery == null) {
            return false;
        }
        for (int at = rawQuery.indexOf('%'); at >= 0 && at + 2 < rawQuery.length(); at = rawQuery.indexOf('%', at + 1)) {
            if (rawQuery.charAt(at + 1) == '0' && rawQuery.charAt(at + 2) == '0') {
                return true;
            }
        }
        return rawQuery.indexOf('\0') >= 0;
    }

    /** 0 when the raw path is fine, else the status that refuses it. */
    static int pathStatus(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return 400;
        }
        for (String segment : rawPath.split("/", -1)) {
            String decoded = percentDecode(segment);
            if (decoded == null) {
                return 400;
            }
            int matrix = decoded.indexOf(';');
            String name = matrix < 0 ? decoded : decoded.substring(0, matrix);
            if (name.equals(".") || name.equals("..")) {
                return 404;
            }
            for (int i = 0; i < decoded.length(); i++) {
                char c = decoded.charAt(i);
                if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') {
                    return 404;
                }
            }
        }
        return 0;
    }

    /** Strict %-decoding of one path segment (as UTF-8 bytes); null when an escape is broken. */
    static String percentDecode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        byte[] bytes = new byte[segment.length()];
        int length = 0;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    return null;
                }
                int high = Character.digit(segment.charAt(i + 1), 16);
                int low = Character.digit(segment.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes[length++] = (byte) (high * 16 + low);
                i += 2;
            } else if (c < 0x80) {
                bytes[length++] = (byte) c;
            } else {
                // Not ASCII at all: only what the router passes through; treat as-is.
                return segment;
            }
        }
        return new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * {@code type/subtype} with well-formed parameters; for the bodies the portal reads (forms,
     * JSON), at most one charset, and one the JVM knows. Other types are left to the resource.
     */
    static boolean readableContentType(String header) {
        String[] parts = header.split(";", -1);
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!MEDIA_TYPE.matcher(type).matches()) {
            return false;
        }
        boolean read = type.equals("application/x-www-form-urlencoded") || type.equals("multipart/form-data")
                || type.equals("application/json") || type.endsWith("+json");
        boolean charsetSeen = false;
        for (int i = 1; i < parts.length; i++) {
            var parameter = PARAMETER.matcher(parts[i].strip());
            if (!parameter.matches()) {
                return false;
            }
            if (parameter.group(1).equalsIgnoreCase("charset")) {
                String value = parameter.group(2).replace("\"", "");
                if (read && (charsetSeen || !knownCharset(value))) {
                    return false;
                }
                charsetSeen = true;
            }
        }
        return true;
    }

    private static boolean knownCharset(String name) {
        try {
            return Charset.isSupported(name);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }

    /** Each media range well-formed, each quality a number from 0 to 1 with at most three decimals. */
    static boolean acceptable(String header) {
        if (header.isBlank()) {
            return true;
        }
        for (String range : header.split(",", -1)) {
            String[] parts = range.split(";", -1);
            if (!MEDIA_RANGE.matcher(parts[0].strip()).matches()) {
                return false;
            }
            for (int i = 1; i < parts.length; i++) {
                var parameter = PARAMETER.matcher(parts[i].strip());
                if (!parameter.matches()) {
                    return false;
                }
                if (parameter.group(1).equalsIgnoreCase("q") && !QUALITY.matcher(parameter.group(2)).matches()) {
                    return false;
                }
            }
        }
        return true;
    }
}
