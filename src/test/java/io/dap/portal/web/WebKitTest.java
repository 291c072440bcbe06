package io.dap.portal.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.dap.portal.support.Browser;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class WebKitTest {

    @Inject
    Users users;

    @Inject
    Flyway flyway;

    @Inject
    SchemaMigrations migrations;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    /**
     * On PostgreSQL (the suite's second run), pending migrations apply together under one lock;
     * ThreeInstancesIT shows the effect: one instance applies the whole upgrade. H2 keeps Flyway's default.
     */
    @Test
    void onPostgresqlPendingMigrationsApplyTogetherUnderOneLockSoOneInstanceUpgradesTheSchema() {
        boolean postgresql = jdbcUrl.startsWith("jdbc:postgresql:");
        assertEquals(postgresql, migrations.grouped());
        assertEquals(postgresql, flyway.getConfiguration().isGroup(), "Flyway's lock, once per migration or for all");
    }

    @Test
    void securityHeadersOnA200A303A404AndA403() {
        User user = users.active("headers");
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        assertSecurityHeaders(browser.get("/login"), 200);
        assertSecurityHeaders(browser.get("/settings"), 303);
        assertSecurityHeaders(browser.get("/no-such-page"), 404);
        assertSecurityHeaders(browser.get("/test-support/forbidden"), 403);
        assertSecurityHeaders(new Browser().get("/dashboard"), 303);
        assertSecurityHeaders(given().get("/css/portal.css"), 200);
    }

    private static void assertSecurityHeaders(Response response, int status) {
        assertEquals(status, response.statusCode());
        String csp = response.header("Content-Security-Policy");
        assertNotNull(csp, "CSP on " + status);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
        assertEquals("nosniff", response.header("X-Content-Type-Options"));
        assertEquals("no-referrer", response.header("Referrer-Policy"));
    }

    @Test
    void errorPagesAreHtmlWithoutStackTraces() {
        User user = users.active("errors");
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        browser.get("/no-such-page").then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("Page not found")).body(not(containsString("Exception")));
        browser.get("/test-support/forbidden").then().statusCode(403).contentType(containsString("text/html"))
                .body(containsString("Not allowed"));
        browser.get("/activate/" + "x".repeat(43)).then().statusCode(404).body(containsString("not valid"));
    }

    @Test
    void anOversizedFormIsRefusedWith413AndAPage() {
        Browser browser = new Browser();
        browser.get("/signup");
        browser.post("/signup", Map.of("email", "big@example.org", "displayName", "x".repeat(2_000_000),
                "password", "a long enough passphrase")).then().statusCode(413);
        assertEquals(0, io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> User.count("email", "big@example.org")));
    }

    @Test
    void theDevMailPageDoesNotExistOutsideDevMode() {
        User user = users.active("devmail");
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        browser.get("/dev/mail").then().statusCode(404);
    }

    @Test
    void healthIsPublic() {
        given().get("/q/health/live").then().statusCode(200).body(containsString("UP"));
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
    }

    @Test
    void theLoginPageHidesTheDemoPasswordOutsideDevMode() {
        new Browser().get("/login").then().statusCode(200).body(not(containsString("portal-demo-2026")));
    }

    @Test
    void unsafeNextParametersFallBack() {
        assertEquals("/x", Redirects.safeLocalPath("/x", "/d"));
        assertEquals("/d", Redirects.safeLocalPath("//evil.example", "/d"));
        assertEquals("/d", Redirects.safeLocalPath("/\\evil.example", "/d"));
        assertEquals("/d", Redirects.safeLocalPath("https://evil.example", "/d"));
        assertEquals("/d", Redirects.safeLocalPath(null, "/d"));
    }
}
