package io.dap.portal.twofactor;

import static io.dap.portal.support.TwoFactorCodes.nextCode;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.api.ApiFixtures;
import io.dap.portal.apitoken.ApiToken;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.impersonation.Impersonation;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.TwoFactorCodes;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** R10, R19: with a second factor on, acting as an owner and creating a Global API token need a code too. */
@QuarkusTest
class StepUpTest {

    private static final Pattern EXPIRES = Pattern.compile("name=\"expires\" type=\"date\" value=\"([0-9-]+)\"");

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    TwoFactorCodes codes;

    private MutableClock clock;

    @BeforeEach
    void clock() {
        clock = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
    }

    @Test
    void actingAsTheOwnerNeedsTheCodeAfterThePassword() {
        User owner = users.active("stepup-owner");
        Long account = accounts.accountOf(owner);
        User admin = users.active("stepup-admin");
        grants.direct(account, admin, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        byte[] secret = codes.enableDirect(admin);
        Browser browser = codes.signIn(new Browser(), admin, secret);
        String path = "/accounts/" + account + "/impersonation";
        browser.get(path).then().statusCode(200).body(containsString("Code from your authenticator app"));

        Response noCode = browser.post(path, "reason", "the card expired", "password", Users.PASSWORD);
        browser.follow(noCode).then().body(containsString("id=\"f-code-error\""));
        Response wrongCode = browser.post(path, "reason", "the card expired", "password", Users.PASSWORD, "code",
                wrong(secret));
        browser.follow(wrongCode).then().body(containsString("That code is not right"));
        assertEquals(0L, impersonations(account));
        assertTrue(audit(admin, AuditAction.TWO_FACTOR_FAILED).stream()
                .anyMatch(e -> "acting as the owner".equals(e.detail)));

        Response started = browser.post(path, "reason", "the card expired", "password", Users.PASSWORD, "code",
                nextCode(secret, clock.instant()));
        started.then().statusCode(303).header("Location", endsWith("/billing"));
        assertEquals(1L, impersonations(account));
    }

    @Test
    void aGlobalTokenNeedsTheCodeARestrictedOneDoesNot() {
        User user = users.active("stepup-token");
        byte[] secret = codes.enableDirect(user);
        Browser browser = codes.signIn(new Browser(), user, secret);
        String page = browser.get("/settings/api-tokens").then().statusCode(200)
                .body(containsString("Code from your authenticator app (Global tokens only)")).extract().asString();

        Response noCode = create(browser, "GLOBAL", "");
        browser.follow(noCode).then().body(containsString("id=\"f-code-error\""));
        Response wrongCode = create(browser, "GLOBAL", wrong(secret));
        browser.follow(wrongCode).then().body(containsString("That code is not right"));
        assertEquals(0L, tokens(user));

        create(browser, "GLOBAL", nextCode(secret, clock.instant())).then().statusCode(200)
                .body(containsString("dap_"));
        create(browser, "RESTRICTED", "").then().statusCode(200);
        assertEquals(2L, tokens(user));
        assertTrue(page.contains("needs your password and a code"));
    }

    @Test
    void withoutASecondFactorNoCodeIsAsked() {
        User owner = users.active("plain-owner");
        Long account = accounts.accountOf(owner);
        User admin = users.active("plain-admin");
        grants.direct(account, admin, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        Browser browser = new Browser().signIn(admin.email, Users.PASSWORD);
        browser.get("/accounts/" + account + "/impersonation").then().body(not(containsString("name=\"code\"")));
        browser.get("/settings/api-tokens").then().body(not(containsString("name=\"code\"")));
        create(browser, "GLOBAL", "").then().statusCode(200);
    }

    private Response create(Browser browser, String scope, String code) {
        String form = browser.get("/settings/api-tokens").asString();
        Matcher expires = EXPIRES.matcher(form);
        assertTrue(expires.find());
        String account = scope.equals("RESTRICTED") ? ownAccount(form) : "";
        return browser.post("/settings/api-tokens", "name", "deploy-bot " + System.nanoTime(), "scope", scope,
                "account", account, "expires", expires.group(1), "password", Users.PASSWORD, "code", code, "once",
                ApiFixtures.formOnce(form));
    }

    private static String ownAccount(String form) {
        Matcher option = Pattern.compile("<option value=\"([0-9]+)\"[^>]*>[^<]*\\(your account\\)").matcher(form);
        assertTrue(option.find());
        return option.group(1);
    }

    private static String wrong(byte[] secret) {
        String now = TwoFactorCodes.code(secret, Instant.now());
        return now.equals("000000") ? "111111" : "000000";
    }

    private static long impersonations(Long account) {
        return QuarkusTransaction.requiringNew().call(() -> Impersonation.count("account.id", account));
    }

    private static long tokens(User user) {
        return QuarkusTransaction.requiringNew().call(() -> ApiToken.count("user.id", user.id));
    }

    private static java.util.List<AuditEvent> audit(User user, AuditAction action) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list("userId = ?1 and action = ?2",
                user.id, action.name()));
    }
}
