package io.dap.portal.apitoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.api.ApiFixtures;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Settings › API tokens (R14): create Restricted and Global, the secret shown once and never stored, list, revoke. */
@QuarkusTest
class ApiTokensPageTest {

    private static final String PAGE = "/settings/api-tokens";

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    EntityManager em;

    private static String inDays(long days) {
        return LocalDate.now(ZoneOffset.UTC).plusDays(days).toString();
    }

    private static List<ApiToken> tokensOf(User user) {
        return QuarkusTransaction.requiringNew().call(() -> ApiToken.<ApiToken>list("user.id = ?1 order by id",
                user.id));
    }

    @Test
    void restrictedAndGlobalTokensAreShownOnceAndOnlyTheirHashIsStored() {
        User me = users.active("tokens-page");
        Long mine = accounts.accountOf(me);
        User other = users.active("tokens-page-other");
        Long shared = accounts.accountOf(other);
        grants.direct(shared, me, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
        User stranger = users.active("tokens-page-stranger");
        Browser browser = new Browser().signIn(me.email, Users.PASSWORD);

        Response page = browser.get(PAGE);
        assertEquals(200, page.statusCode());
        String html = page.asString();
        assertTrue(html.contains("No API tokens yet"));
        assertTrue(html.contains("value=\"" + inDays(90) + "\""), "90 days is suggested");
        assertTrue(html.contains("<option value=\"" + mine + "\""), "own account offered");
        assertTrue(html.contains("<option value=\"" + shared + "\""), "shared account offered");
        assertFalse(html.contains("<option value=\"" + accounts.accountOf(stranger) + "\""));
        assertTrue(browser.get("/settings/profile").asString().contains("href=\"/settings/api-tokens\""),
                "Settings lists API tokens");

        Response created = browser.post(PAGE, "name", "deploy-bot", "scope", "RESTRICTED", "account",
                shared.toString(), "expires", inDays(30), "password", "");
        assertEquals(200, created.statusCode());
        assertEquals("no-store", created.header("Cache-Control"));
        String secret = created.asString().replaceAll("(?s).*value=\"(dap_[A-Za-z0-9_-]+)\".*", "$1");
        assertTrue(secret.startsWith("dap_") && secret.length() >= 4 + 22, "dap_ and at least 128 bits: " + secret);
        assertTrue(created.asString().contains("shown only once"));
        assertTrue(created.asString().contains("Restricted to " + other.displayName));

        // the list shows it, without the secret: a second view cannot reveal it
        String list = browser.get(PAGE).asString();
        assertFalse(list.contains(secret));
        assertTrue(list.contains("deploy-bot"));
        assertTrue(list.contains(secret.substring(0, 10) + "…"), "recognisable by its prefix");
        assertTrue(list.contains("Restricted to " + other.displayName));
        assertTrue(list.contains("Never"), "not used yet");
        ApiToken stored = tokensOf(me).get(0);
        assertEquals(Tokens.sha256(secret), stored.tokenHash);
        assertEquals(ApiToken.Scope.RESTRICTED, stored.scope);
        assertEquals(LocalDate.now(ZoneOffset.UTC).plusDays(31).atStartOfDay(ZoneOffset.UTC).toInstant(),
                stored.expiresAt, "works through the chosen day");

        // Global: the password is asked for; a wrong one leaves no token
        Response wrong = browser.post(PAGE, "name", "everything", "scope", "GLOBAL", "expires", inDays(90),
                "password", "not my password");
        assertEquals(303, wrong.statusCode());
        assertTrue(wrong.header("Location").endsWith(PAGE), wrong.header("Location"));
        String refused = browser.follow(wrong).asString();
        assertTrue(refused.contains("This is not your current password."), refused);
        assertTrue(refused.contains("value=\"everything\""), "the name is refilled");
        assertFalse(refused.contains("not my password"), "the password is not");
        assertEquals(1, tokensOf(me).size());
        String global = ApiFixtures.createThroughPage(browser, "everything", "GLOBAL", null, Users.PASSWORD);
        assertEquals(2, tokensOf(me).size());
        assertTrue(browser.get(PAGE).asString().contains("Global"));

        // neither secret is anywhere in the tokens or the audit trail
        for (String table : List.of("api_token", "audit_event")) {
            List<?> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("select * from " + table)
                    .getResultList());
            for (Object row : rows) {
                String text = row instanceof Object[] cells ? Arrays.deepToString(cells) : String.valueOf(row);
                assertFalse(text.contains(secret) || text.contains(global), table + " holds a secret: " + text);
            }
        }
        List<AuditEvent> events = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "userId = ?1 and action = 'API_TOKEN_CREATED' order by id", me.id));
        assertEquals(2, events.size());
        assertTrue(events.get(0).target.contains("deploy-bot"));
    }

    /** A double click or a reload of the secret page sends the same form again: one token, not two. */
    @Test
    void theSameFormNeverCreatesTwoTokens() throws Exception {
        User me = users.active("tokens-twice");
        Browser browser = new Browser().signIn(me.email, Users.PASSWORD);
        String page = browser.get(PAGE).asString();
        String once = io.dap.portal.api.ApiFixtures.formOnce(page);
        String[] form = { "name", "twice", "scope", "RESTRICTED", "account", accounts.accountOf(me).toString(),
                "expires", inDays(10), "once", once };
        assertEquals(200, browser.post(PAGE, form).statusCode());
        Response again = browser.post(PAGE, form);
        assertEquals(303, again.statusCode());
        assertTrue(browser.follow(again).asString().contains("This form was already sent"));
        assertEquals(1, tokensOf(me).size());

        // Two clicks at the same moment on a fresh form.
        String fresh = io.dap.portal.api.ApiFixtures.formOnce(browser.get(PAGE).asString());
        assertTrue(!fresh.equals(once), "every page has its own value");
        String[] clicked = { "name", "double", "scope", "RESTRICTED", "account", accounts.accountOf(me).toString(),
                "expires", inDays(10), "once", fresh };
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Callable<Integer> click = () -> browser.post(PAGE, clicked).statusCode();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> result : pool.invokeAll(List.of(click, click))) {
                statuses.add(result.get());
            }
            assertTrue(statuses.contains(200) && statuses.contains(303), statuses.toString());
        } finally {
            pool.shutdown();
        }
        assertEquals(2, tokensOf(me).size());
    }

    /** A long list of tokens is paginated, newest first, at the same cost per page. */
    @Test
    void theTokenListIsPaginated() {
        User me = users.active("tokens-many");
        QuarkusTransaction.requiringNew().run(() -> {
            java.time.Instant start = java.time.Instant.now().minus(java.time.Duration.ofDays(1));
            for (int i = 0; i < 30; i++) {
                ApiToken token = new ApiToken();
                token.user = User.findById(me.id);
                token.name = String.format("script %02d", i);
                token.scope = ApiToken.Scope.GLOBAL;
                token.tokenHash = io.dap.portal.web.Tokens.sha256("tokens-many-" + me.id + "-" + i);
                token.displayPrefix = "dap_xxxxxx";
                token.createdAt = start.plusSeconds(i);
                token.persist();
            }
        });
        Browser browser = new Browser().signIn(me.email, Users.PASSWORD);
        String first = browser.get(PAGE).then().statusCode(200).extract().asString();
        assertTrue(first.contains("Page 1 of 2") && first.contains("script 29") && !first.contains("script 04"), first);
        String second = browser.request().queryParam("page", "2").get(PAGE).then().statusCode(200).extract()
                .asString();
        assertTrue(second.contains("script 00") && !second.contains("script 29"));
        browser.request().queryParam("page", "nonsense").get(PAGE).then().statusCode(200);
    }

    /** The Global token's password check counts with sign-in failures: it cannot be used to guess it. */
    @Test
    void wrongPasswordsForAGlobalTokenAreThrottledLikeSignIn() {
        User me = users.active("tokens-guess");
        Browser browser = new Browser().signIn(me.email, Users.PASSWORD);
        browser.get(PAGE);
        for (int i = 0; i < 5; i++) {
            String html = browser.follow(browser.post(PAGE, "name", "guess " + i, "scope", "GLOBAL", "expires",
                    inDays(10), "password", "guess number " + i)).asString();
            assertTrue(html.contains("This is not your current password."), html);
        }
        String throttled = browser.follow(browser.post(PAGE, "name", "right", "scope", "GLOBAL", "expires",
                inDays(10), "password", Users.PASSWORD)).asString();
        assertTrue(throttled.contains("Too many wrong passwords"), throttled);
        assertEquals(List.of(), tokensOf(me));
    }

    @Test
    void invalidFormsAreRefusedFieldByFieldAndCreateNothing() {
        User me = users.active("tokens-invalid");
        User stranger = users.active("tokens-invalid-stranger");
        Browser browser = new Browser().signIn(me.email, Users.PASSWORD);
        browser.get(PAGE);
        record Case(String field, String message, String[] form) {
        }
        List<Case> cases = List.of(
                new Case("name", "Give the token a name", new String[] { "name", " ", "scope", "RESTRICTED",
                        "account", accounts.accountOf(me).toString(), "expires", inDays(10) }),
                new Case("account", "Choose an account you can act in.", new String[] { "name", "x", "scope",
                        "RESTRICTED", "account", accounts.accountOf(stranger).toString(), "expires", inDays(10) }),
                new Case("scope", "Choose a scope.", new String[] { "name", "x", "scope", "ADMIN", "expires",
                        inDays(10) }),
                new Case("expires", "Choose today or a later date.", new String[] { "name", "x", "scope",
                        "RESTRICTED", "account", accounts.accountOf(me).toString(), "expires", inDays(-1) }),
                new Case("expires", "tokens last at most 365 days", new String[] { "name", "x", "scope",
                        "RESTRICTED", "account", accounts.accountOf(me).toString(), "expires", inDays(366) }),
                new Case("expires", "Tokens must expire", new String[] { "name", "x", "scope", "RESTRICTED",
                        "account", accounts.accountOf(me).toString(), "expires", "", "noExpiry", "on" }),
                new Case("password", "Enter your password", new String[] { "name", "x", "scope", "GLOBAL",
                        "expires", inDays(10) }));
        for (Case c : cases) {
            Response response = browser.post(PAGE, c.form());
            assertEquals(303, response.statusCode(), c.field());
            String html = browser.follow(response).asString();
            assertTrue(html.contains("id=\"f-" + c.field() + "-error\""), c.field() + " is marked");
            assertTrue(html.contains(c.message()), c.field() + ": " + c.message());
        }
        assertEquals(List.of(), tokensOf(me));
        // the longest allowed expiry is accepted
        ApiFixtures.createThroughPage(browser, "ok", "RESTRICTED", accounts.accountOf(me), null);
        assertEquals(200, browser.post(PAGE, "name", "max", "scope", "RESTRICTED", "account",
                accounts.accountOf(me).toString(), "expires", inDays(365)).statusCode());
        assertEquals(2, tokensOf(me).size());
    }

    @Test
    void revokeIsOneClickFinalAndOnlyForOnesOwnTokens() {
        User me = users.active("tokens-revoke");
        Long mine = accounts.accountOf(me);
        User other = users.active("tokens-revoke-other");
        Browser browser = new Browser().signIn(me.email, Users.PASSWORD);
        Browser otherBrowser = new Browser().signIn(other.email, Users.PASSWORD);
        String secret = ApiFixtures.createThroughPage(browser, "to-revoke", "RESTRICTED", mine, null);
        ApiFixtures.api(secret).get("/api/v1/accounts").then().statusCode(200);

        String list = browser.get(PAGE).asString();
        assertTrue(list.contains("127.0.0.1"), "last use shows the client address");
        ApiToken token = tokensOf(me).get(0);
        assertNotNull(token.lastUsedAt);
        String revoke = PAGE + "/" + token.id + "/revoke";
        assertTrue(list.contains("action=\"" + revoke + "\""), "one button");

        otherBrowser.get(PAGE);
        assertEquals(404, otherBrowser.post(revoke).statusCode(), "someone else's token is not found");
        assertNull(tokensOf(me).get(0).revokedAt);
        ApiFixtures.api(secret).get("/api/v1/accounts").then().statusCode(200);

        Response revoked = browser.post(revoke);
        assertEquals(303, revoked.statusCode());
        assertTrue(revoked.header("Location").endsWith(PAGE), revoked.header("Location"));
        String after = browser.follow(revoked).asString();
        assertTrue(after.contains("Token revoked."));
        assertTrue(after.contains("badge--revoked"));
        assertFalse(after.contains("action=\"" + revoke + "\""), "no second revoke button");
        assertNotNull(tokensOf(me).get(0).revokedAt);
        ApiFixtures.api(secret).get("/api/v1/accounts").then().statusCode(401);
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "userId = ?1 and action = 'API_TOKEN_REVOKED'", me.id)));
    }
}
