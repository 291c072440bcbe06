package io.dap.portal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dap.portal.support.Accounts;
import io.dap.portal.support.Corpus;
import io.dap.portal.support.RawHttp;
import io.dap.portal.support.WalkFixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Walks every route: the page routes of every registered resource class (found by reflection, not
 * listed by hand) and every API operation of the OpenAPI document, and sends each the bad input of
 * src/test/resources/abuse/corpus.txt — malformed ids, every field with every bad value, broken
 * bodies, content types and headers, signed in and out. Every answer must be below 500, carry no
 * stack trace, carry the security headers, and a refusal must write nothing (Hibernate's own
 * counters of inserts, updates and deletes, apart from the audit trail and the sign-in and session
 * bookkeeping that refusals are meant to leave).
 */
@QuarkusTest
class RouteWalkTest {

    /** The walk's own client address (through the trusted test proxy): its failed sign-ins throttle nobody else. */
    private static final String CLIENT = "198.51.100.250";
    private static final Pattern TEMPLATE_PARAM = Pattern.compile("\\{([A-Za-z0-9_]+)(:[^}]*)?}");
    private static final Pattern STACK_TRACE = Pattern.compile("Exception|\\tat |\\.java:\\d+|\\bat (io|org|java)\\.");
    private static final Pattern FLASH = Pattern.compile("portal_flash=([A-Za-z0-9_-]+)");
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"");
    private static final Pattern CSRF_COOKIE = Pattern.compile("portal_csrf=([^;,\\s]+)");
    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH");
    /** Writes a refusal may leave: its audit entry, sign-in failures, session and visit bookkeeping. */
    private static final Set<String> BOOKKEEPING = Set.of("AuditEvent", "LoginFailure", "UserSession", "AccountVisit");

    @Inject
    WalkFixtures fixtures;

    @Inject
    SessionFactory sessionFactory;

    record Route(String method, String template, List<String> pathParams, List<String> fields, List<String> query,
            Map<String, String> json, boolean api) {

        String name() {
            return method + " " + template;
        }

        boolean hasBody() {
            return !method.equals("GET");
        }
    }

    record Probe(String what, String method, String target, List<String> headers, byte[] body, boolean signedIn) {
    }

    @Test
    void everyRouteAnswersBadInputWithoutA500AStackTraceOrAWrite() throws Exception {
        long started = System.nanoTime();
        Corpus corpus = Corpus.load();
        List<Route> pages = pageRoutes();
        List<Route> api = apiOperations();
        assertTrue(pages.size() >= 50, "the page routes were found: " + pages.size());
        assertTrue(api.size() >= 12, "the API operations were found: " + api.size());
        assertEquals(reflectedApiRoutes(), new TreeSet<>(api.stream().map(Route::name).toList()),
                "the OpenAPI document describes exactly the API resources");

        canaryWriteIsSeen();
        List<String> problems = new ArrayList<>();
        int requests = 0;
        int consolePages = 0;
        for (Route route : Stream.concat(pages.stream(), api.stream()).toList()) {
            WalkFixtures.World world = fixtures.create(CLIENT);
            Session session = route.api() ? null : isPublic(route) ? Session.anonymous() : isConsole(route)
                    ? Session.operator(fixtures, route, world) : Session.open(world.session());
            long writes = writes();
            for (Iterator<Probe> probes = probes(route, world, session, corpus).iterator(); probes.hasNext();) {
                Probe probe = probes.next();
                RawHttp.Reply reply;
                try {
                    reply = RawHttp.send(probe.method(), probe.target(), String.join("\n", probe.headers()),
                            probe.body());
                } catch (RuntimeException e) {
                    problems.add(route.name() + " [" + probe.what() + "]: no answer (" + e.getMessage() + ")");
                    continue;
                }
                requests++;
                if (isConsole(route) && probe.signedIn() && reply.status() == 200) {
                    consolePages++;
                }
                long after = writes();
                String problem = problem(route, probe, reply, after != writes);
                writes = after;
                if (problem != null) {
                    problems.add(route.name() + " [" + probe.what() + "]: " + problem);
                }
            }
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        System.out.printf("Route walk: %d page routes, %d API operations, %d requests in %d s, %d problems%n",
                pages.size(), api.size(), requests, seconds, problems.size());
        assertEquals(List.of(), problems.stream().limit(60).toList(), problems.size() + " problems");
        assertTrue(consolePages > 0, "the console's pages were walked as an operator, not only met with its 404");
    }

    /** The write check can fail: statistics are on, and a real change through a page is counted. */
    private void canaryWriteIsSeen() {
        assertTrue(sessionFactory.getStatistics().isStatisticsEnabled(), "quarkus.hibernate-orm.statistics is on");
        WalkFixtures.World world = fixtures.create(CLIENT);
        Session session = Session.open(world.session());
        long before = writes();
        RawHttp.Reply saved = RawHttp.send("POST", "/settings/profile", "X-Forwarded-For: " + CLIENT + "\nCookie: "
                + session.cookies() + "\nContent-Type: application/x-www-form-urlencoded", ("displayName=Canary&csrf_token="
                        + session.csrf()).getBytes(StandardCharsets.UTF_8));
        assertEquals(303, saved.status(), saved.toString());
        assertTrue(writes() > before, "a saved profile counts as a write");
    }

    private static String problem(Route route, Probe probe, RawHttp.Reply reply, boolean wrote) {
        if (codecRefusal(probe, reply)) {
            return null;
        }
        if (reply.status() >= 500) {
            return reply.status() + " " + abbreviate(reply.body());
        }
        if (STACK_TRACE.matcher(reply.body()).find()) {
            return "a stack trace in the body: " + abbreviate(reply.body());
        }
        if (!reply.hasSecurityHeaders()) {
            return reply.status() + " without the security headers";
        }
        if (probe.what().startsWith("id ") && !refusal(reply)) {
            return reply.status() + ": a malformed id was acted on (" + reply.header("Location") + ")";
        }
        if (wrote && refusal(reply)) {
            return reply.status() + " refused, yet something was written (" + reply.header("Location") + ")";
        }
        return null;
    }

    /**
     * A request line over the HTTP codec's own limit (quarkus.http.limits.max-initial-line-length,
     * 64 KiB) never reaches the application: Vert.x answers a bare 414 and closes the connection,
     * with no page and nothing to protect. Anything shorter gets the portal's 414 (RequestGuard).
     */
    private static boolean codecRefusal(Probe probe, RawHttp.Reply reply) {
        return reply.status() == 414 && reply.body().isEmpty()
                && probe.method().length() + probe.target().length() + 10 > 65_536;
    }

    /** A status of 400 and above, a redirect to sign in, or a redirect carrying an error message. */
    private static boolean refusal(RawHttp.Reply reply) {
        if (reply.status() >= 400) {
            return true;
        }
        if (reply.status() != 303) {
            return false;
        }
        Matcher flash = FLASH.matcher(String.valueOf(reply.header("Set-Cookie")));
        if (flash.find()) {
            String json = new String(Base64.getUrlDecoder().decode(flash.group(1)), StandardCharsets.UTF_8);
            return json.contains("\"kind\":\"error\"");
        }
        // no message at all: the sign-in challenge
        String location = reply.header("Location");
        return location != null && location.contains("/login");
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }

    /** Inserts, updates and deletes through Hibernate so far, apart from the bookkeeping of refusals. */
    private long writes() {
        Statistics statistics = sessionFactory.getStatistics();
        long total = 0;
        for (String entity : statistics.getEntityNames()) {
            if (BOOKKEEPING.contains(entity.substring(entity.lastIndexOf('.') + 1))) {
                continue;
            }
            var stats = statistics.getEntityStatistics(entity);
            total += stats.getInsertCount() + stats.getUpdateCount() + stats.getDeleteCount();
        }
        for (String query : statistics.getQueries()) {
            String text = query.strip().toLowerCase(Locale.ROOT);
            boolean dml = text.startsWith("update") || text.startsWith("delete") || text.startsWith("insert");
            boolean bookkeeping = text.contains("auditevent") || text.contains("loginfailure")
                    || text.contains("usersession") || text.contains("accountvisit") || text.contains("lastusedat")
                    || text.contains("rate_limit_counter");
            if (dml && !bookkeeping) {
                total += statistics.getQueryStatistics(query).getExecutionCount();
            }
        }
        return total;
    }

    // The routes

    /** Every resource method of every @Path class of the application, apart from the API (see the OpenAPI walk). */
    private static List<Route> pageRoutes() throws IOException, ClassNotFoundException {
        List<Route> routes = new ArrayList<>();
        for (Class<?> resource : resourceClasses()) {
            String base = resource.getAnnotation(jakarta.ws.rs.Path.class).value();
            if (base.startsWith("/api")) {
                continue;
            }
            for (Method method : resource.getDeclaredMethods()) {
                String http = httpMethod(method);
                if (http != null) {
                    routes.add(route(http, base, method, false));
                }
            }
        }
        routes.sort((a, b) -> a.name().compareTo(b.name()));
        return routes;
    }

    private static Set<String> reflectedApiRoutes() throws IOException, ClassNotFoundException {
        Set<String> routes = new TreeSet<>();
        for (Class<?> resource : resourceClasses()) {
            String base = resource.getAnnotation(jakarta.ws.rs.Path.class).value();
            if (base.startsWith("/api")) {
                for (Method method : resource.getDeclaredMethods()) {
                    String http = httpMethod(method);
                    if (http != null) {
                        routes.add(route(http, base, method, true).name());
                    }
                }
            }
        }
        return routes;
    }

    /** The application's classes with @Path, read from its build output; those of another build profile left out. */
    private static List<Class<?>> resourceClasses() throws IOException, ClassNotFoundException {
        Path root;
        try {
            root = Path.of(Tokens.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Class<?>> found = new ArrayList<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (Stream<Path> files = Files.walk(root.resolve("io/dap/portal"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$"))
                    .toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, loader);
                var profile = type.getAnnotation(io.quarkus.arc.profile.IfBuildProfile.class);
                if (type.isAnnotationPresent(jakarta.ws.rs.Path.class)
                        && (profile == null || List.of(profile.value()).contains("test"))) {
                    found.add(type);
                }
            }
        }
        return found;
    }

    private static String httpMethod(Method method) {
        for (var annotation : method.getAnnotations()) {
            String name = annotation.annotationType().getSimpleName();
            if (annotation.annotationType().getPackageName().equals("jakarta.ws.rs") && HTTP_METHODS.contains(name)) {
                return name;
            }
        }
        return null;
    }

    private static Route route(String http, String base, Method method, boolean api) {
        jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
        String template = base;
        if (sub != null) {
            template = (base.endsWith("/") ? base : base + "/") + (sub.value().startsWith("/") ? sub.value()
                    .substring(1) : sub.value());
        }
        List<String> pathParams = new ArrayList<>();
        Matcher matcher = TEMPLATE_PARAM.matcher(template);
        while (matcher.find()) {
            pathParams.add(matcher.group(1));
        }
        List<String> fields = new ArrayList<>();
        List<String> query = new ArrayList<>();
        for (Parameter parameter : method.getParameters()) {
            var restForm = parameter.getAnnotation(org.jboss.resteasy.reactive.RestForm.class);
            var formParam = parameter.getAnnotation(jakarta.ws.rs.FormParam.class);
            var restQuery = parameter.getAnnotation(org.jboss.resteasy.reactive.RestQuery.class);
            var queryParam = parameter.getAnnotation(jakarta.ws.rs.QueryParam.class);
            if (restForm != null) {
                fields.add(restForm.value().isEmpty() ? parameter.getName() : restForm.value());
            } else if (formParam != null) {
                fields.add(formParam.value());
            } else if (restQuery != null) {
                query.add(restQuery.value().isEmpty() ? parameter.getName() : restQuery.value());
            } else if (queryParam != null) {
                query.add(queryParam.value());
            }
        }
        return new Route(http, template.replaceAll(":[^}]*}", "}"), pathParams, fields, query, Map.of(), api);
    }

    /** Every operation of the OpenAPI document, with its path and query parameters and its JSON body's properties. */
    private static List<Route> apiOperations() throws IOException {
        RawHttp.Reply document = RawHttp.send("GET", "/q/openapi?format=json", "Accept: application/json", (byte[]) null);
        assertEquals(200, document.status());
        JsonNode root = new ObjectMapper().readTree(document.body());
        List<Route> routes = new ArrayList<>();
        root.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            String http = operation.getKey().toUpperCase(Locale.ROOT);
            if (!HTTP_METHODS.contains(http)) {
                return;
            }
            List<String> pathParams = new ArrayList<>();
            List<String> query = new ArrayList<>();
            for (JsonNode parameter : operation.getValue().path("parameters")) {
                String in = parameter.path("in").asText();
                (in.equals("path") ? pathParams : query).add(parameter.path("name").asText());
            }
            Map<String, String> json = new LinkedHashMap<>();
            JsonNode schema = operation.getValue().path("requestBody").path("content").path("application/json")
                    .path("schema");
            if (schema.has("$ref")) {
                String name = schema.get("$ref").asText().replace("#/components/schemas/", "");
                root.path("components").path("schemas").path(name).path("properties").fields()
                        .forEachRemaining(property -> json.put(property.getKey(),
                                property.getValue().path("type").asText("string")));
            }
            routes.add(new Route(http, path.getKey(), pathParams, List.of(), query, json, true));
        }));
        routes.sort((a, b) -> a.name().compareTo(b.name()));
        return routes;
    }

    // The requests

    /** A signed-in browser's cookies and CSRF token, as the walk sends them on pages. */
    record Session(String cookies, String csrf) {

        static Session open(String rawSession) {
            RawHttp.Reply page = RawHttp.send("GET", "/settings/profile", "X-Forwarded-For: " + CLIENT
                    + "\nCookie: portal_session=" + rawSession, (byte[]) null);
            Matcher cookie = CSRF_COOKIE.matcher(String.valueOf(page.header("Set-Cookie")));
            Matcher field = CSRF_FIELD.matcher(page.body());
            if (page.status() != 200 || !cookie.find() || !field.find()) {
                throw new AssertionError("the walk could not open a session: " + page);
            }
            return new Session("portal_session=" + rawSession + "; portal_csrf=" + cookie.group(1),
                    field.group(1));
        }

        /**
         * The console's routes are walked as an operator with a second factor (to anyone else they are
         * all one 404); those of a support session, by an operator acting as the world's owner.
         */
        static Session operator(WalkFixtures fixtures, Route route, WalkFixtures.World world) {
            WalkFixtures.Operator operator = fixtures.operator(CLIENT);
            Session session = open(operator.session());
            if (route.template().startsWith("/operator/acting")) {
                RawHttp.Reply acting = RawHttp.send("POST", "/operator/users/" + world.owner().id + "/act",
                        "X-Forwarded-For: " + CLIENT + "\nCookie: " + session.cookies()
                                + "\nContent-Type: application/x-www-form-urlencoded",
                        ("reason=walking+every+route&code=" + operator.code(fixtures.now()) + "&csrf_token="
                                + session.csrf()).getBytes(StandardCharsets.UTF_8));
                String location = String.valueOf(acting.header("Location"));
                if (acting.status() != 303 || !location.contains("/accounts/")) {
                    throw new AssertionError("the walk could not act as the owner: " + acting);
                }
            }
            return session;
        }

        /** A visitor who is not signed in, with the CSRF cookie any page leaves. */
        static Session anonymous() {
            RawHttp.Reply page = RawHttp.send("GET", "/login", "X-Forwarded-For: " + CLIENT, (byte[]) null);
            Matcher cookie = CSRF_COOKIE.matcher(String.valueOf(page.header("Set-Cookie")));
            Matcher field = CSRF_FIELD.matcher(page.body());
            if (!cookie.find() || !field.find()) {
                throw new AssertionError("no CSRF token on the sign-in page: " + page);
            }
            return new Session("portal_csrf=" + cookie.group(1), field.group(1));
        }
    }

    private static boolean isConsole(Route route) {
        return route.template().equals("/operator") || route.template().startsWith("/operator/");
    }

    /** Routes anyone may call (quarkus.http.auth.permission.public.paths): walked signed out. */
    private static boolean isPublic(Route route) {
        String paths = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.auth.permission.public.paths", String.class);
        for (String path : paths.split(",")) {
            String candidate = path.strip();
            if (candidate.endsWith("/*") ? route.template().startsWith(candidate.substring(0, candidate.length() - 1))
                    || route.template().equals(candidate.substring(0, candidate.length() - 2))
                    : route.template().equals(candidate)) {
                return true;
            }
        }
        return false;
    }

    private static List<Probe> probes(Route route, WalkFixtures.World world, Session session, Corpus corpus) {
        List<Probe> probes = new ArrayList<>();
        Map<String, String> ids = ids(route, world);
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String field : route.api() ? route.json().keySet() : route.fields()) {
            defaults.put(field, defaultValue(route, field, world));
        }
        // malformed ids in every path position
        for (String param : route.pathParams()) {
            for (String bad : corpus.text("id")) {
                Map<String, String> path = new LinkedHashMap<>(ids);
                path.put(param, bad);
                probes.add(request(route, world, session, "id " + param + "=" + bad, path, "", body(route, defaults,
                        session), null));
            }
        }
        // every field with every bad value, one at a time; missing and repeated
        for (String field : defaults.keySet()) {
            for (String bad : corpus.text("field")) {
                Map<String, String> values = new LinkedHashMap<>(defaults);
                values.put(field, bad);
                probes.add(request(route, world, session, field + "=" + shorten(bad), ids, "", body(route, values,
                        session), null));
            }
            if (route.api()) {
                for (String literal : corpus.text("json-value")) {
                    probes.add(request(route, world, session, field + ":" + literal, ids, "",
                            json(defaults, field, literal), null));
                }
            }
            Map<String, String> without = new LinkedHashMap<>(defaults);
            without.remove(field);
            probes.add(request(route, world, session, "no " + field, ids, "", body(route, without, session), null));
            if (!route.api()) {
                byte[] twice = (form(defaults) + "&" + enc(field) + "=" + enc(shorten("second"))
                        + "&csrf_token=" + session.csrf()).getBytes(StandardCharsets.UTF_8);
                probes.add(request(route, world, session, field + " twice", ids, "", twice, null));
            }
        }
        // query parameters: every bad value in each, then raw query strings
        for (String param : route.query()) {
            for (String bad : corpus.text("field")) {
                probes.add(request(route, world, session, "?" + param + "=" + shorten(bad), ids, "?" + enc(param) + "="
                        + enc(bad), body(route, defaults, session), null));
            }
        }
        if (route.method().equals("GET") || route.api()) {
            for (String raw : corpus.text("query")) {
                probes.add(request(route, world, session, "?" + shorten(raw), ids, "?" + raw, body(route, defaults,
                        session), null));
            }
        }
        // broken bodies and content types
        if (route.hasBody()) {
            for (byte[] raw : corpus.bytes(route.api() ? "json" : "body")) {
                byte[] body = route.api() ? raw : concat(raw, ("&csrf_token=" + session.csrf())
                        .getBytes(StandardCharsets.UTF_8));
                probes.add(request(route, world, session, "body " + shorten(new String(raw, StandardCharsets.UTF_8)),
                        ids, "", body, null));
            }
            for (String type : corpus.text("content-type")) {
                probes.add(request(route, world, session, "Content-Type " + type, ids, "", body(route, defaults,
                        session), type.equals("<none>") ? "" : type));
            }
        }
        // odd headers
        if (route.method().equals("GET") || route.api()) {
            for (String header : corpus.text("header")) {
                Probe probe = request(route, world, session, header, ids, "", body(route, defaults, session), null);
                probes.add(withHeader(probe, header));
            }
        }
        // signed out, with good and bad ids
        Map<String, String> dotted = new LinkedHashMap<>(ids);
        dotted.replaceAll((name, value) -> "%2e%2e");
        for (Map<String, String> path : List.of(ids, dotted)) {
            Probe signedIn = request(route, world, session, "signed out", path, "", body(route, defaults, session),
                    null);
            probes.add(signedOut(signedIn));
        }
        return probes;
    }

    private static Probe request(Route route, WalkFixtures.World world, Session session, String what,
            Map<String, String> path, String query, byte[] body, String contentType) {
        String target = route.template();
        for (Map.Entry<String, String> id : path.entrySet()) {
            target = target.replace("{" + id.getKey() + "}", id.getValue());
        }
        List<String> headers = new ArrayList<>();
        headers.add("X-Forwarded-For: " + CLIENT);
        if (route.api()) {
            headers.add("Authorization: Bearer " + world.secret());
            headers.add("Accept: application/json");
        } else {
            headers.add("Cookie: " + session.cookies());
        }
        String type = contentType != null ? contentType : route.api() ? "application/json"
                : "application/x-www-form-urlencoded";
        if (route.hasBody() && !type.isEmpty()) {
            headers.add("Content-Type: " + type);
        }
        return new Probe(what, route.method(), target + query, headers, route.hasBody() ? body : null, true);
    }

    /** The probe with one more header; a cookie is merged into the walk's own (and may replace one of them). */
    private static Probe withHeader(Probe probe, String header) {
        List<String> headers = new ArrayList<>(probe.headers());
        if (header.startsWith("Cookie: ")) {
            Map<String, String> cookies = new LinkedHashMap<>();
            for (String line : headers) {
                if (line.startsWith("Cookie: ")) {
                    for (String pair : line.substring(8).split("; ")) {
                        cookies.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                    }
                }
            }
            String pair = header.substring(8);
            cookies.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            headers.removeIf(line -> line.startsWith("Cookie: "));
            StringBuilder merged = new StringBuilder("Cookie: ");
            cookies.forEach((name, value) -> merged.append(name).append('=').append(value).append("; "));
            headers.add(merged.toString());
        } else {
            String name = header.substring(0, header.indexOf(':') + 1);
            headers.removeIf(line -> line.startsWith(name));
            headers.add(header);
        }
        return new Probe(probe.what(), probe.method(), probe.target(), headers, probe.body(), probe.signedIn());
    }

    private static Probe signedOut(Probe probe) {
        List<String> headers = new ArrayList<>(probe.headers());
        headers.removeIf(line -> line.startsWith("Authorization: ") || line.startsWith("Cookie: "));
        return new Probe(probe.what(), probe.method(), probe.target(), headers, probe.body(), false);
    }

    private static Map<String, String> ids(Route route, WalkFixtures.World world) {
        Map<String, String> ids = new LinkedHashMap<>();
        String template = route.template();
        if (isConsole(route)) {
            return consoleIds(route, world);
        }
        for (String param : route.pathParams()) {
            Long id = switch (param) {
                case "accountId" -> world.account();
                case "infrastructureId" -> world.infrastructure();
                case "driveId" -> world.drive();
                case "grantId" -> template.contains("shared-with-me") ? world.receivedGrant()
                        : template.contains("/infrastructures/") ? world.infrastructureGrant() : world.accountGrant();
                case "userId" -> world.delegate();
                case "id" -> template.contains("ssh-keys") ? world.sshKey() : template.contains("api-tokens")
                        ? world.apiToken() : template.contains("sessions") ? world.sessionId() : 1L;
                default -> null;
            };
            // an unknown but well-formed token, or the id 1 for what the walk has none of
            ids.put(param, id != null ? id.toString() : param.equals("token") ? "x".repeat(43) : "1");
        }
        return ids;
    }

    /**
     * The console's targets: the owner (sessions, a token, grants given), or the delegate for the
     * invitation they received; an impersonation the walk has none of gets the id 1.
     */
    private static Map<String, String> consoleIds(Route route, WalkFixtures.World world) {
        Map<String, String> ids = new LinkedHashMap<>();
        boolean invitation = route.template().contains("/invitations/");
        for (String param : route.pathParams()) {
            Long id = switch (param) {
                case "accountId" -> world.account();
                case "userId" -> invitation ? world.delegate() : world.owner().id;
                case "sessionId" -> world.sessionId();
                case "tokenId" -> world.apiToken();
                case "grantId" -> world.infrastructureGrant();
                default -> 1L;
            };
            ids.put(param, id.toString());
        }
        return ids;
    }

    private static String defaultValue(Route route, String field, WalkFixtures.World world) {
        boolean infrastructure = route.template().contains("/infrastructures/");
        return switch (field) {
            case "email" -> "walk-" + System.nanoTime() + "@example.org";
            case "role" -> infrastructure || route.api() ? "INFRASTRUCTURE_READ_ONLY" : "ACCOUNT_READ_ONLY";
            case "label", "name", "displayName", "driveLabel", "billingName", "cardHolder" -> "Walker";
            case "sizeGb" -> "10";
            case "colour" -> "TEAL";
            case "scope" -> "RESTRICTED";
            case "account" -> world.account().toString();
            case "expires" -> LocalDate.now().plusDays(10).toString();
            case "once" -> Tokens.newToken();
            case "reason" -> "walking every route";
            case "publicKey" -> Accounts.fixtureKey("rsa2048");
            case "billingAddress" -> "1 Walk Street";
            case "cardNumber" -> "4242424242424242";
            case "expMonth" -> "12";
            case "expYear" -> "2099";
            case "cvc" -> "123";
            default -> "";
        };
    }

    private static byte[] body(Route route, Map<String, String> values, Session session) {
        if (!route.hasBody()) {
            return null;
        }
        if (route.api()) {
            return json(values, null, null);
        }
        return (form(values) + (values.isEmpty() ? "" : "&") + "csrf_token=" + session.csrf())
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String form(Map<String, String> values) {
        StringBuilder form = new StringBuilder();
        values.forEach((name, value) -> form.append(form.isEmpty() ? "" : "&").append(enc(name)).append('=')
                .append(enc(value)));
        return form.toString();
    }

    /** A JSON object of string properties; {@code literal} (raw JSON) replaces the value of {@code field}. */
    private static byte[] json(Map<String, String> values, String field, String literal) {
        StringBuilder json = new StringBuilder("{");
        values.forEach((name, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(name)).append(':');
            if (name.equals(field)) {
                json.append(literal);
            } else if (name.equals("sizeGb") && value.matches("[0-9]+")) {
                json.append(value);
            } else {
                json.append(quote(value));
            }
        });
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string in ASCII: everything else as \\u escapes, lone surrogates included. */
    private static String quote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String shorten(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…(" + value.length() + ")" : printable;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
