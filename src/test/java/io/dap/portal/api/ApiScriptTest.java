package io.dap.portal.api;

import static io.dap.portal.api.ApiFixtures.api;
import static io.dap.portal.api.ApiFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.audit.AuditEvent;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** What a script does with a token, end to end, and what the account's audit log says about it afterwards. */
@QuarkusTest
class ApiScriptTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Test
    void aScriptCreatesDeploysAndReadsTheReportAndTheAuditLogNamesItsToken() {
        User owner = users.active("api-script");
        Long account = accounts.accountOf(owner);
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        String token = ApiFixtures.createThroughPage(browser, "deploy-bot", "RESTRICTED", account, null);
        String base = "/api/v1/accounts/" + account;

        Response empty = api(token).get(base + "/infrastructures");
        assertEquals(200, empty.statusCode());
        assertEquals(0, empty.jsonPath().getInt("total"));
        assertEquals(List.of(), empty.jsonPath().getList("items"));

        Response created = json(token, Map.of("label", "Scripted", "description", "made by a script"))
                .post(base + "/infrastructures");
        assertEquals(201, created.statusCode(), created.asString());
        long id = created.jsonPath().getLong("id");
        assertEquals("DRAFT", created.jsonPath().getString("status"));
        assertTrue(created.header("Location").endsWith(base + "/infrastructures/" + id), created.header("Location"));
        String one = base + "/infrastructures/" + id;

        Response drive = json(token, Map.of("label", "data", "sizeGb", 100)).post(one + "/drives");
        assertEquals(201, drive.statusCode(), drive.asString());
        assertEquals("PENDING", drive.jsonPath().getString("status"));
        assertEquals(100, drive.jsonPath().getInt("sizeGb"));

        Response refused = api(token).contentType("application/json").post(one + "/deploy");
        assertEquals(409, refused.statusCode());
        assertTrue(refused.contentType().startsWith("application/problem+json"));
        assertTrue(refused.jsonPath().getString("detail").contains("must add billing information"),
                refused.asString());
        assertEquals("DRAFT", api(token).get(one).jsonPath().getString("status"));

        accounts.makeBillable(account);
        Response deployed = api(token).contentType("application/json").post(one + "/deploy");
        assertEquals(200, deployed.statusCode(), deployed.asString());
        assertEquals(1, deployed.jsonPath().getInt("provisioned"));
        assertEquals("DEPLOYED", deployed.jsonPath().getString("infrastructure.status"));
        Response read = api(token).get(one);
        assertEquals("RUNNING", read.jsonPath().getString("drives[0].status"));
        assertEquals(owner.displayName, read.jsonPath().getString("drives[0].provisionedBy"));

        Response listed = api(token).get(base + "/infrastructures?page=1&size=10");
        assertEquals(1, listed.jsonPath().getInt("total"));
        assertEquals("Scripted", listed.jsonPath().getString("items[0].label"));
        assertEquals(1, listed.jsonPath().getInt("items[0].drives"));

        Response usage = api(token).get(base + "/usage");
        assertEquals(200, usage.statusCode(), usage.asString());
        assertEquals("EUR", usage.jsonPath().getString("currency"));
        assertEquals(3, usage.jsonPath().getList("months").size());
        assertTrue(usage.asString().contains("\"infrastructure\":\"Scripted\""), usage.asString());

        // every change the script made is in the account's log with the token's name; a page change is not
        browser.get("/accounts/" + account + "/infrastructures/new");
        assertEquals(303, browser.post("/accounts/" + account + "/infrastructures", "label", "By hand",
                "description", "").statusCode());
        List<AuditEvent> events = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "accountId = ?1 order by id", account));
        for (String action : List.of("INFRASTRUCTURE_CREATED", "DRIVE_ADDED", "DEPLOY_REFUSED",
                "INFRASTRUCTURE_DEPLOYED")) {
            AuditEvent event = events.stream().filter(e -> e.action.equals(action)).findFirst().orElseThrow();
            assertEquals("deploy-bot", event.apiTokenName, action);
            assertEquals(owner.id, event.userId, action);
        }
        AuditEvent byHand = events.stream().filter(e -> e.action.equals("INFRASTRUCTURE_CREATED")
                && e.target.contains("By hand")).findFirst().orElseThrow();
        assertNull(byHand.apiTokenName);
        assertNull(byHand.apiTokenId);

        String page = browser.get("/accounts/" + account + "/audit").asString();
        assertTrue(page.contains("via API token \u2018deploy-bot\u2019"), "the log page names the token");
        String csv = browser.get("/accounts/" + account + "/audit.csv").asString();
        assertTrue(csv.substring(0, csv.indexOf("\r\n")).endsWith(",via"), "the CSV has a via column");
        assertTrue(csv.contains("\"via API token \u2018deploy-bot\u2019\""), csv);
        assertFalse(csv.contains(token), "the secret never reaches the log");
    }

    /** Every changing endpoint records the token's name (R13), and a refused one changes nothing. */
    @Test
    void everyChangeThroughTheApiIsAuditedWithTheTokensName() {
        User owner = users.active("api-audit-all");
        Long account = accounts.accountOf(owner);
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        String token = ApiFixtures.createThroughPage(browser, "tidy-bot", "RESTRICTED", account, null);
        String base = "/api/v1/accounts/" + account + "/infrastructures";

        long id = json(token, Map.of("label", "Temp", "description", "")).post(base).jsonPath().getLong("id");
        String one = base + "/" + id;
        assertEquals(200, json(token, Map.of("label", "Temp 2", "description", "renamed")).put(one).statusCode());
        long drive = json(token, Map.of("label", "scratch", "sizeGb", 10)).post(one + "/drives").jsonPath()
                .getLong("id");
        assertEquals(200, json(token, Map.of("label", "scratch", "sizeGb", 20)).put(one + "/drives/" + drive)
                .statusCode());
        assertEquals(204, api(token).delete(one + "/drives/" + drive).statusCode());
        assertEquals(404, api(token).delete(one + "/drives/" + drive).statusCode(), "gone is gone");
        Response invited = json(token, Map.of("email", Users.uniqueEmail("api-invitee"), "role",
                "INFRASTRUCTURE_READ_ONLY")).post(one + "/grants");
        assertEquals(201, invited.statusCode(), invited.asString());
        assertEquals(204, api(token).delete(one + "/grants/" + invited.jsonPath().getLong("id")).statusCode());
        assertEquals(204, api(token).delete(one).statusCode());

        List<AuditEvent> events = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "accountId = ?1 and outcome = ?2 order by id", account, AuditEvent.Outcome.SUCCESS));
        List<String> actions = events.stream().map(e -> e.action).toList();
        assertEquals(List.of("INFRASTRUCTURE_CREATED", "INFRASTRUCTURE_UPDATED", "DRIVE_ADDED", "DRIVE_UPDATED",
                "DRIVE_REMOVED", "INVITATION_SENT", "INVITATION_CANCELLED", "INFRASTRUCTURE_DELETED"), actions);
        for (AuditEvent event : events) {
            assertEquals("tidy-bot", event.apiTokenName, event.action);
        }
    }
}
