package io.dap.portal.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Role;
import io.dap.portal.api.ApiFixtures;
import io.dap.portal.apitoken.ApiToken;
import io.dap.portal.session.UserSession;
import io.dap.portal.access.Grant;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.OperatorFixtures;
import io.dap.portal.support.RefusalMark;
import io.dap.portal.support.TwoFactorCodes;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * R21, who reaches the console: every console page and action (the list is checked against the
 * console's resources, so a page added later without a line here fails) for an operator with a
 * second factor (200, or 303 for a change), a signed-in non-operator (404, exactly like an address
 * that does not exist, whatever the method or the form), and an operator without a second factor
 * (sent to set one up). Nothing changes for the latter two, and each refusal is audited.
 */
@QuarkusTest
class OperatorConsoleMatrixTest {

    record Endpoint(String method, String template) {

        String path(World world) {
            return template.replace("{userId}", world.user.id.toString())
                    .replace("{accountId}", world.account.toString())
                    .replace("{sessionId}", world.sessionId.toString())
                    .replace("{tokenId}", world.tokenId.toString())
                    .replace("{grantId}", world.grantId.toString())
                    .replace("{impersonationId}", "999999");
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    /** Every page and action of the console. */
    static final List<Endpoint> CONSOLE = List.of(
            new Endpoint("GET", "/operator"),
            new Endpoint("GET", "/operator/audit"),
            new Endpoint("GET", "/operator/audit.csv"),
            new Endpoint("GET", "/operator/users/{userId}"),
            new Endpoint("POST", "/operator/users/{userId}/disable"),
            new Endpoint("POST", "/operator/users/{userId}/enable"),
            new Endpoint("POST", "/operator/users/{userId}/sessions/{sessionId}/end"),
            new Endpoint("POST", "/operator/users/{userId}/sessions/end-all"),
            new Endpoint("POST", "/operator/users/{userId}/api-tokens/{tokenId}/revoke"),
            new Endpoint("POST", "/operator/users/{userId}/resend-activation"),
            new Endpoint("POST", "/operator/users/{userId}/invitations/{grantId}/cancel"),
            new Endpoint("POST", "/operator/users/{userId}/act"),
            new Endpoint("GET", "/operator/accounts/{accountId}"),
            new Endpoint("GET", "/operator/accounts/{accountId}/audit"),
            new Endpoint("GET", "/operator/accounts/{accountId}/audit.csv"),
            new Endpoint("POST", "/operator/accounts/{accountId}/impersonations/{impersonationId}/end"),
            new Endpoint("GET", "/operator/acting/changes"),
            new Endpoint("POST", "/operator/acting/changes"));

    record World(User user, Long account, Long sessionId, Long tokenId, Long grantId) {
    }

    @Inject
    Users users;

    @Inject
    Grants grants;

    @Inject
    ApiFixtures api;

    @Inject
    OperatorFixtures operators;

    @Inject
    TwoFactorCodes codes;

    @Inject
    Mailbox mailbox;

    private MutableClock clock;

    @BeforeEach
    void clock() {
        clock = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        mailbox.clear();
    }

    @Test
    void theListCoversEveryPageAndActionOfTheConsole() throws Exception {
        Set<String> declared = new TreeSet<>();
        List<File> files = new ArrayList<>();
        var folders = OperatorPolicy.class.getClassLoader().getResources("io/dap/portal/operator");
        while (folders.hasMoreElements()) {
            URL folder = folders.nextElement();
            File[] found = new File(folder.toURI()).listFiles((dir, name) -> name.endsWith(".class")
                    && !name.contains("$"));
            if (found != null) {
                files.addAll(List.of(found));
            }
        }
        assertTrue(files.stream().anyMatch(f -> f.getName().equals("OperatorUserResource.class")),
                "the console's classes are found: " + files);
        for (File file : files) {
            Class<?> type = Class.forName("io.dap.portal.operator." + file.getName().replace(".class", ""), false,
                    OperatorPolicy.class.getClassLoader());
            Path root = type.getAnnotation(Path.class);
            if (root == null || !root.value().startsWith("/operator")) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                String verb = method.isAnnotationPresent(GET.class) ? "GET"
                        : method.isAnnotationPresent(POST.class) ? "POST" : null;
                if (verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String path = root.value() + (sub == null ? "" : "/" + sub.value());
                declared.add(verb + " " + path);
            }
        }
        Set<String> listed = new TreeSet<>();
        CONSOLE.forEach(e -> listed.add(e.toString()));
        assertEquals(declared, listed);
    }

    @Test
    void anOperatorWithASecondFactorReachesEveryPageAndAction() {
        World world = world();
        OperatorFixtures.Operator lead = operators.withTwoFactor(OperatorFixtures.LEAD);
        Browser operator = codes.signIn(new Browser(), lead.user(), lead.secret());
        for (Endpoint endpoint : CONSOLE) {
            String path = endpoint.path(world);
            Response response = call(operator, endpoint, path, "");
            if (endpoint.template().startsWith("/operator/acting/")) {
                // Only while acting as someone: else there is nothing to confirm.
                assertEquals(404, response.statusCode(), endpoint.toString());
            } else if (endpoint.method().equals("GET")) {
                assertEquals(200, response.statusCode(), endpoint.toString());
            } else {
                // An empty reason: the form comes back with its message, nothing changed.
                assertEquals(303, response.statusCode(), endpoint.toString());
                assertTrue(response.header("Location").endsWith("/operator/users/" + world.user.id)
                        || response.header("Location").endsWith("/operator/accounts/" + world.account),
                        endpoint + " → " + response.header("Location"));
            }
        }
        assertUnchanged(world);

        // Acting as the user: the confirmation of changes opens; the rest of the console waits.
        clock.advance(Duration.ofSeconds(31));
        Response act = operator.post("/operator/users/" + world.user.id + "/act", "reason", "ticket 4711", "code",
                TwoFactorCodes.code(lead.secret(), clock.instant()));
        assertEquals(303, act.statusCode());
        assertEquals("/accounts/" + world.account + "/infrastructures", path(act));
        operator.get("/operator/acting/changes").then().statusCode(200);
        for (Endpoint endpoint : CONSOLE) {
            if (!endpoint.template().startsWith("/operator/acting/") && endpoint.method().equals("GET")) {
                assertEquals(409, call(operator, endpoint, endpoint.path(world), "x").statusCode(), endpoint.toString());
            }
        }
        assertEquals(303, operator.post("/impersonation/stop").statusCode());
    }

    @Test
    void toANonOperatorTheConsoleDoesNotExistWhateverIsSent() {
        World world = world();
        User stranger = users.active("console-stranger");
        Browser browser = new Browser().signIn(stranger.email, Users.PASSWORD);
        Response unknown = browser.get("/no-such-page-anywhere");
        assertEquals(404, unknown.statusCode());
        String nothing = unknown.asString();
        RefusalMark mark = RefusalMark.now();
        for (Endpoint endpoint : CONSOLE) {
            Response response = call(browser, endpoint, endpoint.path(world), "a perfectly good reason");
            assertEquals(404, response.statusCode(), endpoint.toString());
            assertEquals(nothing, response.asString(), endpoint.toString());
        }
        // Wrong methods, unknown sub-pages, a form without its CSRF token, a bare prefix: all the same.
        for (Response response : List.of(
                browser.request().put("/operator/users/" + world.user.id + "/disable"),
                browser.request().delete("/operator/users/" + world.user.id),
                browser.get("/operator/users/" + world.user.id + "/disable"),
                browser.get("/operator/nothing-here"),
                browser.postRaw("/operator/users/" + world.user.id + "/disable", Browser.fields("reason", "x")),
                browser.get("/operator/"))) {
            assertEquals(404, response.statusCode());
            assertEquals(nothing, response.asString());
        }
        assertUnchanged(world);
        assertEquals(CONSOLE.size() + 6, mark.since(stranger.id), "every refusal is in the audit trail");
        assertEquals(1, mark.since(stranger.id, "ACCESS_NOT_FOUND", "operator console GET /operator"));
    }

    @Test
    void anOperatorWithoutASecondFactorIsSentToSetOneUpFromEveryPageAndAction() {
        World world = world();
        User newcomer = operators.withoutTwoFactor(OperatorFixtures.NEWCOMER);
        Browser browser = new Browser().signIn(newcomer.email, Users.PASSWORD);
        RefusalMark mark = RefusalMark.now();
        for (Endpoint endpoint : CONSOLE) {
            Response response = call(browser, endpoint, endpoint.path(world), "a perfectly good reason");
            assertEquals(303, response.statusCode(), endpoint.toString());
            assertEquals("/settings/two-factor", path(response), endpoint.toString());
        }
        Response enrolment = browser.follow(call(browser, CONSOLE.get(0), "/operator", ""));
        assertEquals(200, enrolment.statusCode());
        assertTrue(enrolment.asString().contains("The operator console needs two-factor sign-in"));
        assertUnchanged(world);
        assertEquals(CONSOLE.size() + 1, mark.since(newcomer.id));
    }

    /** A user with a session, an API token and a pending invitation from someone else's account. */
    private World world() {
        User user = users.active("console-target");
        new Browser().signIn(user.email, Users.PASSWORD);
        Long sessionId = QuarkusTransaction.requiringNew().call(() -> UserSession.<UserSession>find("user.id = ?1",
                user.id).firstResult().id);
        api.direct(user, ApiToken.Scope.GLOBAL, null, Instant.now().plus(Duration.ofDays(30)));
        Long tokenId = QuarkusTransaction.requiringNew().call(() -> ApiToken.<ApiToken>find("user.id = ?1",
                user.id).firstResult().id);
        User owner = users.active("console-owner");
        Long grantId = grants.direct(accountOf(owner), user, Role.ACCOUNT_READ_ONLY,
                Grant.Status.PENDING, null);
        return new World(user, accountOf(user), sessionId, tokenId, grantId);
    }

    private void assertUnchanged(World world) {
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(User.Status.ACTIVE, User.<User>findById(world.user.id).status);
            assertEquals(1, UserSession.count("user.id", world.user.id));
            assertEquals(null, ApiToken.<ApiToken>findById(world.tokenId).revokedAt);
            assertEquals(Grant.Status.PENDING, Grant.<Grant>findById(world.grantId).status);
            assertEquals(0, io.dap.portal.impersonation.Impersonation.count("owner.id", world.user.id));
        });
        assertTrue(mailbox.deliverAndRead(world.user.email).isEmpty(), "the user was not told anything");
    }

    private static Response call(Browser browser, Endpoint endpoint, String path, String reason) {
        return endpoint.method().equals("GET") ? browser.get(path)
                : browser.post(path, "reason", reason, "code", "000000", "confirm", "on");
    }

    private static String path(Response redirect) {
        return redirect.header("Location").replaceFirst("^https?://[^/]+", "");
    }

    private static Long accountOf(User user) {
        return QuarkusTransaction.requiringNew().call(() -> io.dap.portal.account.Account.idOwnedBy(user.id));
    }
}
