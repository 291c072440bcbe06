package io.dap.portal.api;

import static io.dap.portal.api.ApiFixtures.api;
import static io.dap.portal.api.ApiFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.account.Infrastructure;
import io.dap.portal.apitoken.ApiToken;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Who gets into /api (R14): a live token in the Authorization header, and nothing else. Every
 * refusal is the same 401 problem, whatever was wrong with the token.
 */
@QuarkusTest
class ApiAuthenticationTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    ApiFixtures fixtures;

    @Inject
    TimeSource time;

    private static void assertUnauthorized(Response response, String what) {
        assertEquals(401, response.statusCode(), what);
        assertTrue(response.contentType().startsWith("application/problem+json"), what + ": " + response.contentType());
        assertEquals("Bearer", response.header("WWW-Authenticate"), what);
        assertEquals(401, response.jsonPath().getInt("status"), what);
    }

    @Test
    void aLiveTokenInTheHeaderActsAsItsCreator() {
        User owner = users.active("api-auth");
        Long account = accounts.accountOf(owner);
        String secret = fixtures.global(owner);

        Response response = api(secret).get("/api/v1/accounts");
        assertEquals(200, response.statusCode(), response.asString());
        List<Map<String, Object>> listed = response.jsonPath().getList("items");
        assertEquals(1, listed.size());
        assertEquals(account.intValue(), listed.get(0).get("id"));
        assertEquals("OWNER", listed.get(0).get("role"));
        // a token call opens no browser session
        assertNull(response.cookie("portal_session"));
    }

    @Test
    void unknownTamperedRevokedExpiredAndDisabledAllGetTheSame401() {
        User owner = users.active("api-refused");
        String live = fixtures.global(owner);
        String expiredSecret = fixtures.direct(owner, ApiToken.Scope.GLOBAL, null, time.now().minusSeconds(1));
        String revokedSecret = fixtures.global(owner);
        QuarkusTransaction.requiringNew().run(() -> ApiToken.update("revokedAt = ?1 where tokenHash = ?2",
                Instant.now(), io.dap.portal.web.Tokens.sha256(revokedSecret)));
        char last = live.charAt(live.length() - 1);
        String tampered = live.substring(0, live.length() - 1) + (last == 'A' ? 'B' : 'A');

        String body = null;
        for (var entry : Map.of("unknown", "dap_" + io.dap.portal.web.Tokens.newToken(), "tampered", tampered,
                "expired", expiredSecret, "revoked", revokedSecret, "malformed", "dap_%%%", "not ours",
                "eyJhbGciOiJIUzI1NiJ9.e30.x").entrySet()) {
            Response response = api(entry.getValue()).get("/api/v1/accounts");
            assertUnauthorized(response, entry.getKey());
            if (body == null) {
                body = response.asString();
            }
            assertEquals(body, response.asString(), entry.getKey() + " answers exactly like the others");
        }
        assertUnauthorized(api(null).get("/api/v1/accounts"), "no header");
        assertUnauthorized(api(null).header("Authorization", "Basic " + live).get("/api/v1/accounts"), "not bearer");
        // the token itself still works: only the altered copies were refused
        assertEquals(200, api(live).get("/api/v1/accounts").statusCode());

        // a disabled creator: the token stops on the next call
        QuarkusTransaction.requiringNew().run(() -> User.update("status = ?1 where id = ?2", User.Status.DISABLED,
                owner.id));
        assertUnauthorized(api(live).get("/api/v1/accounts"), "disabled creator");
    }

    @Test
    void aTokenStopsAtItsExpiryOnTheNextCall() {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        User owner = users.active("api-expiry");
        String secret = fixtures.direct(owner, ApiToken.Scope.GLOBAL, null, Instant.parse("2026-06-01T11:00:00Z"));
        assertEquals(200, api(secret).get("/api/v1/accounts").statusCode());
        clock.advance(Duration.ofMinutes(59));
        assertEquals(200, api(secret).get("/api/v1/accounts").statusCode());
        clock.advance(Duration.ofMinutes(1));
        assertUnauthorized(api(secret).get("/api/v1/accounts"), "at expiry");
    }

    @Test
    void aSessionCookieNeverAuthenticatesTheApiNorATokenTheSettingsPages() {
        User owner = users.active("api-cookie");
        Long account = accounts.accountOf(owner);
        Infrastructure infrastructure = accounts.infrastructure(account, owner, "Cookie target");
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        assertEquals(200, browser.get("/accounts/" + account + "/infrastructures").statusCode());

        assertUnauthorized(browser.request().accept("application/json").get("/api/v1/accounts"), "cookie only GET");
        // Routing ignores ";…" path parameters: such a path is still the API, and still refuses the cookie.
        assertUnauthorized(browser.request().urlEncodingEnabled(false).accept("application/json")
                .get("/api;x/v1/accounts"),
                "cookie only GET with a path parameter");
        // a cross-site form post carrying the victim's cookies (and even a CSRF token) does nothing
        Response form = browser.post("/api/v1/accounts/" + account + "/infrastructures/" + infrastructure.id
                + "/deploy", "label", "x");
        assertUnauthorized(form, "cookie form POST");
        Response delete = browser.request().delete("/api/v1/accounts/" + account + "/infrastructures/"
                + infrastructure.id);
        assertEquals(401, delete.statusCode());
        assertEquals(Infrastructure.Status.DRAFT, QuarkusTransaction.requiringNew()
                .call(() -> Infrastructure.<Infrastructure>findById(infrastructure.id).status));

        // the token only in a query parameter is ignored
        String secret = fixtures.global(owner);
        assertUnauthorized(api(null).queryParam("access_token", secret).queryParam("token", secret)
                .get("/api/v1/accounts"), "query parameter");

        // a token opens nothing outside /api: the settings pages (where tokens are made) send it to sign in
        for (String path : List.of("/settings/api-tokens", "/settings/profile", "/accounts/" + account
                + "/infrastructures", "/accounts/" + account + "/sharing")) {
            Response response = api(secret).get(path);
            assertEquals(303, response.statusCode(), path);
            assertTrue(response.header("Location").startsWith("/login") || response.header("Location")
                    .contains("/login"), path + " -> " + response.header("Location"));
        }
        Response post = json(secret, Map.of()).post("/settings/api-tokens");
        assertFalse(post.statusCode() == 200, "a token cannot create a token");
        assertNull(QuarkusTransaction.requiringNew().call(() -> ApiToken.find("user.id = ?1 and name <> ?2",
                owner.id, "").<ApiToken>list().stream().filter(t -> !t.name.startsWith("fixture")).findFirst()
                .orElse(null)));
    }

    @Test
    void thePagesStillRefuseStateChangesThatAreNotFormPosts() {
        User owner = users.active("api-csrf-boundary");
        Long account = accounts.accountOf(owner);
        accounts.makeBillable(account);
        Infrastructure infrastructure = accounts.infrastructure(account, owner, "Boundary");
        accounts.pendingDrive(infrastructure.id, "disk", 10);
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        String deploy = "/accounts/" + account + "/infrastructures/" + infrastructure.id + "/deploy";
        // what a cross-site page can send without a preflight: text/plain, or no body at all
        assertEquals(400, browser.request().contentType("text/plain").body("x=1").post(deploy).statusCode());
        assertEquals(400, browser.request().post(deploy).statusCode());
        assertEquals(400, browser.request().contentType("application/json").body("{}").post(deploy).statusCode());
        assertEquals(400, browser.request().contentType("text/plain").post("/logout").statusCode());
        assertEquals(Infrastructure.Status.DRAFT, QuarkusTransaction.requiringNew()
                .call(() -> Infrastructure.<Infrastructure>findById(infrastructure.id).status));
        assertEquals(200, browser.get("/settings/profile").statusCode(), "still signed in");
        // the same deploy as a real form post with its token works
        browser.get("/accounts/" + account + "/infrastructures/" + infrastructure.id);
        assertEquals(303, browser.post(deploy).statusCode());
        assertEquals(Infrastructure.Status.DEPLOYED, QuarkusTransaction.requiringNew()
                .call(() -> Infrastructure.<Infrastructure>findById(infrastructure.id).status));
    }

    @Test
    void lastUseIsRecordedAtMostOncePerMinute() {
        MutableClock clock = new MutableClock(Instant.parse("2026-07-01T10:00:00Z"));
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        User owner = users.active("api-last-used");
        String secret = fixtures.direct(owner, ApiToken.Scope.GLOBAL, null, null);
        String hash = io.dap.portal.web.Tokens.sha256(secret);
        assertNull(lastUsed(hash));
        api(secret).get("/api/v1/accounts").then().statusCode(200);
        Instant first = lastUsed(hash);
        assertEquals(Instant.parse("2026-07-01T10:00:00Z"), first);
        assertEquals("127.0.0.1", QuarkusTransaction.requiringNew().call(() -> ApiToken
                .<ApiToken>find("tokenHash", hash).firstResult().lastUsedAddress));
        clock.advance(Duration.ofSeconds(30));
        api(secret).get("/api/v1/accounts").then().statusCode(200);
        assertEquals(first, lastUsed(hash), "not written again within a minute");
        clock.advance(Duration.ofSeconds(31));
        api(secret).get("/api/v1/accounts").then().statusCode(200);
        assertEquals(Instant.parse("2026-07-01T10:01:01Z"), lastUsed(hash));
    }

    private static Instant lastUsed(String hash) {
        return QuarkusTransaction.requiringNew().call(() -> ApiToken.<ApiToken>find("tokenHash", hash).firstResult()
                .lastUsedAt);
    }
}
