package io.dap.portal.support;

import static io.restassured.RestAssured.given;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * One simulated browser: its own cookie jar, redirects followed by hand so tests can assert the
 * 303s, and forms posted with the CSRF token read from the last page, as a real browser would.
 */
public class Browser {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"");

    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String csrfToken;

    /** Every request of this browser says it comes from this client (through the trusted test proxy). */
    public Browser from(String clientAddress) {
        this.clientAddress = clientAddress;
        return this;
    }

    private String clientAddress;

    public RequestSpecification request() {
        RequestSpecification spec = given().redirects().follow(false);
        if (clientAddress != null) {
            spec.header("X-Forwarded-For", clientAddress);
        }
        if (!cookies.isEmpty()) {
            spec.cookies(cookies);
        }
        return spec;
    }

    public Response get(String path) {
        return remember(request().get(path));
    }

    /** Posts a form with the CSRF token of the last page this browser saw. */
    public Response post(String path, Map<String, String> fields) {
        if (csrfToken == null) {
            get("/login");
        }
        Map<String, String> withToken = new LinkedHashMap<>(fields);
        withToken.put("csrf_token", csrfToken);
        return postRaw(path, withToken);
    }

    public Response post(String path, String... nameValuePairs) {
        return post(path, fields(nameValuePairs));
    }

    /** Posts exactly the given fields, without adding a CSRF token. */
    public Response postRaw(String path, Map<String, String> fields) {
        return remember(request().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParams(fields).post(path));
    }

    /** Follows the Location of a redirect and returns the page it leads to. */
    public Response follow(Response redirect) {
        String location = redirect.header("Location");
        if (location == null) {
            throw new AssertionError("expected a redirect but got " + redirect.statusCode());
        }
        return get(location.replaceFirst("^https?://[^/]+", ""));
    }

    public Browser signIn(String email, String password) {
        Response response = post("/login", "email", email, "password", password);
        String location = response.header("Location");
        if (response.statusCode() != 303 || location == null || location.contains("/login")
                || location.contains("/activate")) {
            throw new AssertionError("sign-in of " + email + " failed: " + response.statusCode() + " " + location);
        }
        return this;
    }

    public String cookie(String name) {
        return cookies.get(name);
    }

    /** The CSRF form value of the last page seen (after a get of any page with a form). */
    public String csrfToken() {
        if (csrfToken == null) {
            get("/login");
        }
        return csrfToken;
    }

    /** The Cookie header this browser would send, for requests written by hand (RawHttp). */
    public String cookieHeader() {
        StringBuilder header = new StringBuilder("Cookie: ");
        cookies.forEach((name, value) -> header.append(name).append('=').append(value).append("; "));
        return header.toString();
    }

    public void setCookie(String name, String value) {
        cookies.put(name, value);
    }

    public static Map<String, String> fields(String... nameValuePairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            fields.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return fields;
    }

    private Response remember(Response response) {
        for (Cookie cookie : response.detailedCookies()) {
            if (cookie.getValue() == null || cookie.getValue().isEmpty() || cookie.getMaxAge() == 0) {
                cookies.remove(cookie.getName());
            } else {
                cookies.put(cookie.getName(), cookie.getValue());
            }
        }
        String contentType = response.contentType();
        if (contentType != null && contentType.startsWith("text/html")) {
            Matcher matcher = CSRF.matcher(response.asString());
            if (matcher.find()) {
                csrfToken = matcher.group(1);
            }
        }
        return response;
    }
}
