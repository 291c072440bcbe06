package io.dap.portal.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.apitoken.ApiToken;
import io.dap.portal.support.Browser;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.Tokens;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** API tokens made through the Settings page (as a person would) or written directly (fast setups), and calls. */
@ApplicationScoped
public class ApiFixtures {

    private static final Pattern SECRET = Pattern.compile("value=\"(dap_[A-Za-z0-9_-]+)\"");
    private static final Pattern EXPIRES = Pattern.compile("name=\"expires\" type=\"date\" value=\"([0-9-]+)\"");

    @Inject
    TimeSource time;

    /** Creates a token on Settings › API tokens and returns the secret from the one page that shows it. */
    public static String createThroughPage(Browser browser, String name, String scope, Long accountId,
            String password) {
        Response page = browser.get("/settings/api-tokens");
        assertEquals(200, page.statusCode());
        Matcher expires = EXPIRES.matcher(page.asString());
        assertTrue(expires.find(), "the form suggests an expiry");
        Response created = browser.post("/settings/api-tokens", "name", name, "scope", scope, "account",
                accountId == null ? "" : accountId.toString(), "expires", expires.group(1), "password",
                password == null ? "" : password, "once", formOnce(page.asString()));
        assertEquals(200, created.statusCode(), "token " + name + " created: " + created.header("Location"));
        Matcher secret = SECRET.matcher(created.asString());
        assertTrue(secret.find(), "the secret is on the page");
        return secret.group(1);
    }

    /** The single-use value the create form carries, as a browser would send it back. */
    public static String formOnce(String page) {
        Matcher once = ONCE.matcher(page);
        assertTrue(once.find(), "the create form carries a single-use value");
        return once.group(1);
    }

    private static final java.util.regex.Pattern ONCE = java.util.regex.Pattern
            .compile("name=\"once\" value=\"([A-Za-z0-9_-]+)\"");

    /** A token row written directly; returns its secret. */
    @Transactional
    public String direct(User creator, ApiToken.Scope scope, Long accountId, Instant expiresAt) {
        String secret = "dap_" + Tokens.newToken();
        ApiToken token = new ApiToken();
        token.user = User.findById(creator.id);
        token.name = "fixture " + System.nanoTime();
        token.scope = scope;
        token.account = accountId == null ? null : Account.findById(accountId);
        token.tokenHash = Tokens.sha256(secret);
        token.displayPrefix = secret.substring(0, 10);
        token.createdAt = time.now();
        token.expiresAt = expiresAt;
        token.persist();
        return secret;
    }

    public String global(User creator) {
        return direct(creator, ApiToken.Scope.GLOBAL, null, time.now().plusSeconds(86_400));
    }

    /** An accepted grant on one infrastructure, written directly. */
    @Transactional
    public Long infrastructureGrant(Infrastructure infrastructure, User grantee, Role role) {
        Infrastructure found = Infrastructure.findById(infrastructure.id);
        Grant grant = new Grant();
        grant.account = found.account;
        grant.scope = Role.Scope.INFRASTRUCTURE;
        grant.infrastructure = found;
        grant.grantee = User.findById(grantee.id);
        grant.role = role;
        grant.status = Grant.Status.ACCEPTED;
        grant.invitedBy = found.account.owner;
        grant.invitedAt = time.now();
        grant.respondedAt = grant.invitedAt;
        grant.persist();
        return grant.id;
    }

    @Transactional
    public void revokeGrant(Long grantId) {
        Grant grant = Grant.findById(grantId);
        grant.status = Grant.Status.REVOKED;
        grant.revokedAt = time.now();
    }

    public static RequestSpecification api(String secret) {
        RequestSpecification spec = given().redirects().follow(false).accept("application/json");
        return secret == null ? spec : spec.header("Authorization", "Bearer " + secret);
    }

    public static RequestSpecification json(String secret, Object body) {
        return api(secret).contentType("application/json").body(body);
    }
}
