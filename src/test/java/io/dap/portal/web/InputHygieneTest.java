package io.dap.portal.web;

import static io.dap.portal.api.ApiFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.account.Account;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.api.ApiFixtures;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Every form and API field that takes a name, label, description or reason reads it as one
 * SingleLineText: a line break, a control character or a bidi override is refused next to the field
 * and nothing is written; what is kept is NFC-normalised.
 */
@QuarkusTest
class InputHygieneTest {

    private static final String[] BAD = { "Ops\r\nBcc: victim@example.org", "Ops\u0000", "\u202Egnp.exe",
            "a\tb" };

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    ApiFixtures api;

    @Test
    void pageFormsRefuseControlCharactersNextToTheField() {
        User owner = users.active("hygiene");
        Long account = accounts.accountOf(owner);
        Infrastructure infrastructure = accounts.infrastructure(account, owner, "Clean");
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        String base = "/accounts/" + account;
        for (String bad : BAD) {
            String invitee = Users.uniqueEmail("hygiene-invitee");
            assertFieldError(browser, browser.post(base + "/sharing/invite", "email", invitee, "role",
                    "ACCOUNT_READ_ONLY", "label", bad), "label");
            assertFieldError(browser, browser.post(base + "/infrastructures/" + infrastructure.id
                    + "/sharing/invite", "email", invitee, "role", "INFRASTRUCTURE_READ_ONLY", "label", bad), "label");
            assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Grant.count("grantee.email",
                    invitee)), "no grant for a refused label");
            assertFieldError(browser, browser.post(base + "/infrastructures", "label", bad), "label");
            assertFieldError(browser, browser.post(base + "/infrastructures/" + infrastructure.id + "/properties",
                    "label", "Fine", "description", bad), "description");
            assertFieldError(browser, browser.post("/settings/profile", "displayName", bad), "displayName");
            assertFieldError(browser, browser.post("/settings/account", "name", bad, "colour", "BLUE"), "name");
            assertFieldError(browser, browser.post("/settings/ssh-keys", "label", bad, "publicKey",
                    Accounts.fixtureKey("ed25519")), "label");
            assertFieldError(browser, browser.post(base + "/billing/address", "billingName", bad, "billingAddress",
                    "1 Main St"), "billingName");
        }
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals("Clean", Infrastructure.<Infrastructure>findById(infrastructure.id).label);
            assertEquals(1L, Infrastructure.count("account.id", account));
            assertEquals(owner.displayName, User.<User>findById(owner.id).displayName);
        });
    }

    @Test
    void apiFieldsAreReadTheSameWay() {
        User owner = users.active("hygiene-api");
        Long account = accounts.accountOf(owner);
        Infrastructure infrastructure = accounts.infrastructure(account, owner, "Clean");
        String token = api.global(owner);
        String base = "/api/v1/accounts/" + account + "/infrastructures";
        for (String bad : BAD) {
            assertApiFieldError(json(token, Map.of("label", bad)).post(base), "label");
            assertApiFieldError(json(token, Map.of("label", "ok", "description", bad)).put(base + "/"
                    + infrastructure.id), "description");
            assertApiFieldError(json(token, Map.of("label", bad, "sizeGb", 10)).post(base + "/" + infrastructure.id
                    + "/drives"), "label");
            assertApiFieldError(json(token, Map.of("email", Users.uniqueEmail("x"), "role",
                    "INFRASTRUCTURE_READ_ONLY", "label", bad)).post(base + "/" + infrastructure.id + "/grants"),
                    "label");
        }
        assertEquals("Clean", QuarkusTransaction.requiringNew()
                .call(() -> Infrastructure.<Infrastructure>findById(infrastructure.id).label));
    }

    @Test
    void whatIsKeptIsNormalisedAndTrimmed() {
        User owner = users.active("hygiene-nfc");
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        browser.post("/settings/account", "name", "  Cafe\u0301 Ops ", "colour", "BLUE").then().statusCode(303);
        assertEquals("Caf\u00e9 Ops", QuarkusTransaction.requiringNew()
                .call(() -> Account.<Account>findById(accounts.accountOf(owner)).displayName));
    }

    private static void assertFieldError(Browser browser, Response response, String field) {
        assertEquals(303, response.statusCode(), field);
        String page = browser.follow(response).asString();
        assertTrue(page.contains("id=\"f-" + field + "-error\""), field + " is marked: " + page);
        assertTrue(page.contains(SingleLineText.CONTROL_MESSAGE), field + " says why");
    }

    private static void assertApiFieldError(Response response, String field) {
        assertEquals(400, response.statusCode(), field + ": " + response.asString());
        assertEquals(SingleLineText.CONTROL_MESSAGE, response.jsonPath().getString("errors." + field));
    }
}
