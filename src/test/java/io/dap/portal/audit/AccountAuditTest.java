package io.dap.portal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.pages.audit.AccountAuditResource;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Links;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.test.junit.QuarkusTest;

/** R13: the account's audit log, for the owner and account Administrators only. */
@QuarkusTest
class AccountAuditTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Test
    void theOwnerAndAdministratorsReadTheLogOthersDoNot() {
        User owner = users.active("audit-owner");
        Long account = accounts.accountOf(owner);
        User admin = users.active("audit-admin");
        User billing = users.active("audit-billing");
        User stranger = users.active("audit-stranger");
        grants.direct(account, admin, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        grants.direct(account, billing, Role.ACCOUNT_BILLING, Grant.Status.ACCEPTED, null);
        Browser adminBrowser = new Browser().signIn(admin.email, Users.PASSWORD);
        adminBrowser.get("/accounts/" + account + "/infrastructures/new");
        adminBrowser.post("/accounts/" + account + "/infrastructures", "label", "=cmd|' /C calc'!A0", "description",
                "").then().statusCode(303);
        Browser billingBrowser = new Browser().signIn(billing.email, Users.PASSWORD);
        billingBrowser.get("/settings/profile");
        billingBrowser.post("/accounts/" + account + "/infrastructures", "label", "Nope", "description", "")
                .then().statusCode(403);

        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        String page = ownerBrowser.get("/accounts/" + account + "/audit").then().statusCode(200).extract().asString();
        assertTrue(page.contains("Created an infrastructure") && page.contains(admin.email));
        assertTrue(page.contains("Refused: not allowed") && page.contains(billing.email));
        String filtered = ownerBrowser.get("/accounts/" + account + "/audit?action=ACCESS_FORBIDDEN").asString();
        assertTrue(filtered.contains(billing.email));
        assertFalse(filtered.contains("Created an infrastructure</td>"));
        String byUser = ownerBrowser.get("/accounts/" + account + "/audit?user=" + admin.email).asString();
        assertFalse(byUser.contains(billing.email + "</td>"));
        ownerBrowser.get("/accounts/" + account + "/audit?from=nonsense&page=x").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("A date was not understood"));

        var csv = ownerBrowser.get("/accounts/" + account + "/audit.csv");
        csv.then().statusCode(200);
        assertTrue(csv.contentType().startsWith("text/csv"));
        assertTrue(csv.asString().startsWith("time_utc,user,impersonating,action,target,outcome,repeats,client_address"));
        assertTrue(csv.asString().contains(admin.email));
        assertEquals("\"'=1+1\"", AccountAuditResource.cell("=1+1"), "formula cells are neutralised");
        assertEquals("\"say \"\"hi\"\"\"", AccountAuditResource.cell("say \"hi\""));

        assertEquals(200, adminBrowser.get("/accounts/" + account + "/audit").statusCode());
        assertEquals(403, billingBrowser.get("/accounts/" + account + "/audit").statusCode());
        assertEquals(403, billingBrowser.get("/accounts/" + account + "/audit.csv").statusCode());
        Browser strangerBrowser = new Browser().signIn(stranger.email, Users.PASSWORD);
        assertEquals(404, strangerBrowser.get("/accounts/" + account + "/audit").statusCode());
        assertEquals(404, strangerBrowser.get("/accounts/" + account + "/audit.csv").statusCode());
    }

    /** The date filter bounds are inclusive UTC days, pages follow the filter, and so does the CSV. */
    @Test
    void datesFilterPagesAndTheCsvFollowTheFilter() {
        User owner = users.active("audit-dates");
        Long account = accounts.accountOf(owner);
        java.time.Instant day = java.time.Instant.parse("2031-03-14T00:00:00Z");
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < 30; i++) {
                seed(account, owner, day.plusSeconds(60L * i), "in range " + i);
            }
            seed(account, owner, day.minusSeconds(1), "the day before");
            seed(account, owner, day.plusSeconds(86_400), "the day after");
        });
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        String path = "/accounts/" + account + "/audit";

        String first = browser.request().queryParam("from", "2031-03-14").queryParam("to", "2031-03-14").get(path)
                .then().statusCode(200).extract().asString();
        assertTrue(first.contains("in range 29") && first.contains("in range 5<") && !first.contains("in range 4<"),
                "the newest 25 of the day");
        assertTrue(!first.contains("the day before") && !first.contains("the day after"));
        String older = Links.rel(first, "next");
        assertTrue(older.contains("from=2031-03-14") && older.contains("older="), "the filter goes along: " + older);
        String second = browser.get(older).asString();
        assertTrue(second.contains("in range 0<") && second.contains("in range 4<") && !second.contains("in range 29"),
                second);
        assertFalse(second.contains("the day before"), "still filtered");

        String csv = browser.request().queryParam("from", "2031-03-14").queryParam("to", "2031-03-14")
                .get(path + ".csv").asString();
        assertEquals(31, csv.split("\r\n").length, "a header and the 30 rows of the day");
        assertFalse(csv.contains("the day before") || csv.contains("the day after"));
        String after = browser.request().queryParam("from", "2031-03-15").get(path).asString();
        assertTrue(after.contains("the day after") && !after.contains("in range"));
    }

    private static void seed(Long account, User owner, java.time.Instant at, String target) {
        AuditEvent event = new AuditEvent();
        event.occurredAt = at;
        event.userId = owner.id;
        event.userEmail = owner.email;
        event.accountId = account;
        event.action = AuditAction.INFRASTRUCTURE_UPDATED.name();
        event.outcome = AuditEvent.Outcome.SUCCESS;
        event.target = target;
        event.persist();
    }
}
