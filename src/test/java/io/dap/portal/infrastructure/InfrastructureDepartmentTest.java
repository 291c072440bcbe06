package io.dap.portal.infrastructure;

import static io.dap.portal.api.ApiFixtures.api;
import static io.dap.portal.api.ApiFixtures.json;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.api.ApiFixtures;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.RefusalMark;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.SingleLineText;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The department or cost centre of an infrastructure: one line of at most 100 characters, blank
 * for none, set by exactly those who may rename the infrastructure, audited like a rename, in the
 * pages and in the API.
 */
@QuarkusTest
class InfrastructureDepartmentTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    ApiFixtures fixtures;

    record Row(String label, String description, String department) {
    }

    static Row row(Long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Infrastructure i = Infrastructure.findById(id);
            return new Row(i.label, i.description, i.department);
        });
    }

    static void setDepartment(Long id, String department) {
        QuarkusTransaction.requiringNew().run(() -> Infrastructure.<Infrastructure>findById(id).department = department);
    }

    static List<String> auditDetails(Long accountId, Long infrastructureId) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "accountId = ?1 and action = ?2 and target like ?3 order by id", accountId,
                AuditAction.INFRASTRUCTURE_UPDATED.name(), "infrastructure " + infrastructureId + " (%")
                .stream().map(e -> e.detail).toList());
    }

    @Test
    void theOwnerSetsChangesAndClearsTheDepartmentAndEachChangeIsAudited() {
        User owner = users.active("dept-owner");
        Long account = accounts.accountOf(owner);
        Long id = accounts.infrastructure(account, owner, "Web").id;
        String path = "/accounts/" + account + "/infrastructures/" + id + "/properties";
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);

        browser.get(path).then().statusCode(200).body(containsString("<label for=\"f-department\">Department or cost centre</label>"));
        Response saved = browser.post(path, "label", "Web", "description", "", "department", "  CC-410 Marketing  ");
        saved.then().statusCode(303).header("Location", endsWith(path));
        assertEquals("CC-410 Marketing", row(id).department(), "trimmed");
        browser.get(path).then().body(containsString("value=\"CC-410 Marketing\""))
                // The name field shows the name (it once showed the form's own label, "Properties").
                .body(containsString("id=\"f-label\" name=\"label\" type=\"text\" value=\"Web\""));
        browser.get("/accounts/" + account + "/infrastructures").then().body(containsString("Department: CC-410 Marketing"));

        browser.post(path, "label", "Web", "description", "", "department", "CC-220 BI").then().statusCode(303);
        assertEquals("CC-220 BI", row(id).department());
        // Blank is none, stored as NULL: one spelling for "no department".
        browser.post(path, "label", "Web", "description", "", "department", " \u00a0 ").then().statusCode(303);
        assertNull(row(id).department());
        // A rename that leaves the department alone says nothing about it.
        browser.post(path, "label", "Web shop", "description", "").then().statusCode(303);

        assertEquals(List.of("department none → CC-410 Marketing", "department CC-410 Marketing → CC-220 BI",
                "department CC-220 BI → none"), auditDetails(account, id).stream().filter(d -> d != null).toList());
        assertEquals(4, auditDetails(account, id).size(), "every save is an INFRASTRUCTURE_UPDATED entry, like a rename");
    }

    @Test
    void aFormWithoutTheFieldLeavesTheDepartmentAsItIs() {
        User owner = users.active("dept-oldtab");
        Long account = accounts.accountOf(owner);
        Long id = accounts.infrastructure(account, owner, "Web").id;
        setDepartment(id, "Marketing");
        new Browser().signIn(owner.email, Users.PASSWORD)
                .post("/accounts/" + account + "/infrastructures/" + id + "/properties", "label", "Web 2", "description", "")
                .then().statusCode(303);
        assertEquals(new Row("Web 2", "", "Marketing"), row(id));
    }

    @Test
    void badDepartmentsAreRefusedWithTheMessageOnThePageAndNothingIsWritten() {
        User owner = users.active("dept-invalid");
        Long account = accounts.accountOf(owner);
        Long id = accounts.infrastructure(account, owner, "Web").id;
        setDepartment(id, "Marketing");
        Row before = row(id);
        String path = "/accounts/" + account + "/infrastructures/" + id + "/properties";
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);

        Map<String, String> refused = new HashMap<>();
        refused.put("x".repeat(101), "Use at most 100 characters.");
        refused.put("Sales\nEurope", SingleLineText.CONTROL_MESSAGE);
        refused.put("Sales\r\nEurope", SingleLineText.CONTROL_MESSAGE);
        refused.put("Sales\tEurope", SingleLineText.CONTROL_MESSAGE);
        refused.put("Sales\u0000", SingleLineText.CONTROL_MESSAGE);
        refused.put("Sales\u202Eeporue", SingleLineText.CONTROL_MESSAGE);
        refused.put("Sales\u2028Europe", SingleLineText.CONTROL_MESSAGE);
        refused.forEach((department, message) -> {
            // The name changes in the same submit: refused as a whole, nothing half-written.
            Response response = browser.post(path, "label", "Renamed", "description", "new", "department", department);
            response.then().statusCode(303).header("Location", endsWith(path));
            String page = browser.follow(response).then().statusCode(200).extract().asString();
            assertTrue(page.contains("<p class=\"field-error\" id=\"f-department-error\">"
                    + message.replace("'", "&#39;") + "</p>"), department + ": " + page);
            assertTrue(page.contains("value=\"Renamed\""), "what was typed is kept");
            assertEquals(before, row(id), department);
        });

        browser.post(path, "label", "Web", "description", "", "department", "y".repeat(100)).then().statusCode(303);
        assertEquals("y".repeat(100), row(id).department(), "exactly 100 characters fit");
    }

    @Test
    void theNewInfrastructureFormTakesADepartmentAndSuggestsTheOnesInUse() {
        User owner = users.active("dept-create");
        Long account = accounts.accountOf(owner);
        setDepartment(accounts.infrastructure(account, owner, "Old").id, "CC-310 Logistics");
        String base = "/accounts/" + account + "/infrastructures";
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);

        browser.get(base + "/new").then().statusCode(200)
                .body(containsString("list=\"known-departments\""))
                .body(containsString("<option value=\"CC-310 Logistics\"></option>"));
        Response created = browser.post(base, "label", "ERP", "description", "", "department", "CC-310 Logistics");
        created.then().statusCode(303);
        Long id = Long.valueOf(created.header("Location").replaceAll(".*/", ""));
        assertEquals("CC-310 Logistics", row(id).department());

        long count = QuarkusTransaction.requiringNew().call(() -> Infrastructure.count("account.id", account));
        browser.post(base, "label", "Bad", "description", "", "department", "a\nb").then().statusCode(303)
                .header("Location", endsWith(base + "/new"));
        assertEquals(count, (long) QuarkusTransaction.requiringNew().call(() -> Infrastructure.count("account.id", account)));
    }

    @Test
    void whoeverMayRenameMaySetTheDepartmentAndNobodyElse() {
        User owner = users.active("dept-who-owner");
        Long account = accounts.accountOf(owner);
        Infrastructure infrastructure = accounts.infrastructure(account, owner, "Web");
        Long id = infrastructure.id;
        String path = "/accounts/" + account + "/infrastructures/" + id + "/properties";

        User administrator = users.active("dept-who-admin");
        grants.direct(account, administrator, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        new Browser().signIn(administrator.email, Users.PASSWORD)
                .post(path, "label", "Web", "description", "", "department", "Set by the administrator")
                .then().statusCode(303);
        assertEquals("Set by the administrator", row(id).department());

        Row before = row(id);
        Map<String, Integer> refused = new java.util.LinkedHashMap<>();
        User readOnly = users.active("dept-who-readonly");
        grants.direct(account, readOnly, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
        User billing = users.active("dept-who-billing");
        grants.direct(account, billing, Role.ACCOUNT_BILLING, Grant.Status.ACCEPTED, null);
        User infraAdmin = users.active("dept-who-infra");
        grants.directOnInfrastructure(id, infraAdmin, Role.INFRASTRUCTURE_ADMINISTRATOR);
        User stranger = users.active("dept-who-stranger");
        refused.put(readOnly.email, 403);
        refused.put(billing.email, 403);
        refused.put(infraAdmin.email, 403);
        refused.put(stranger.email, 404);
        Map<String, Long> ids = Map.of(readOnly.email, readOnly.id, billing.email, billing.id, infraAdmin.email,
                infraAdmin.id, stranger.email, stranger.id);
        refused.forEach((email, status) -> {
            Browser browser = new Browser().signIn(email, Users.PASSWORD);
            // The department alone, and with a new name: refused the same way as a rename.
            RefusalMark mark = RefusalMark.now();
            browser.post(path, "label", "Web", "description", "", "department", "Mine now").then().statusCode(status);
            browser.post(path, "label", "Taken", "description", "", "department", "Mine now").then().statusCode(status);
            assertEquals(before, row(id), email);
            assertEquals(2, mark.since(ids.get(email)), "refusals are audited: " + email);
            // None of them sees a form to edit it: Read-only and Billing see the value, the stranger nothing.
            Response page = browser.get(path);
            if (status == 404) {
                page.then().statusCode(404);
            } else {
                page.then().statusCode(200).body(containsString("<dd>Set by the administrator</dd>"));
                assertTrue(!page.asString().contains("name=\"department\""), email);
            }
        });
    }

    @Test
    void theApiShowsSetsKeepsAndClearsTheDepartmentAndNamesItInProblems() {
        User owner = users.active("dept-api-owner");
        Long account = accounts.accountOf(owner);
        String token = fixtures.global(owner);
        String base = "/api/v1/accounts/" + account + "/infrastructures";

        Response created = json(token, Map.of("label", "ERP", "department", " CC-310 Logistics ")).post(base);
        created.then().statusCode(201);
        Long id = created.jsonPath().getLong("id");
        assertEquals("CC-310 Logistics", created.jsonPath().getString("department"));
        assertEquals("CC-310 Logistics", api(token).get(base).jsonPath().getString("items[0].department"));

        // Left out: kept (a script from before the field must not wipe it).
        json(token, Map.of("label", "ERP 2", "description", "")).put(base + "/" + id).then().statusCode(200);
        assertEquals(new Row("ERP 2", "", "CC-310 Logistics"), row(id));
        Map<String, Object> explicitNull = new HashMap<>();
        explicitNull.put("label", "ERP 2");
        explicitNull.put("department", null);
        json(token, explicitNull).put(base + "/" + id).then().statusCode(200);
        assertEquals("CC-310 Logistics", row(id).department());

        Response changed = json(token, Map.of("label", "ERP 2", "department", "CC-999")).put(base + "/" + id);
        changed.then().statusCode(200);
        assertEquals("CC-999", changed.jsonPath().getString("department"));
        Response cleared = json(token, Map.of("label", "ERP 2", "department", "   ")).put(base + "/" + id);
        assertNull(cleared.jsonPath().getString("department"));
        assertNull(row(id).department());

        setDepartment(id, "Kept");
        Row before = row(id);
        for (String bad : List.of("z".repeat(101), "a\nb", "a\u0007b")) {
            Response problem = json(token, Map.of("label", "Renamed", "department", bad)).put(base + "/" + id);
            assertEquals(400, problem.statusCode(), problem.asString());
            assertTrue(problem.contentType().startsWith("application/problem+json"));
            assertEquals(List.of("department"), List.copyOf(problem.jsonPath().getMap("errors").keySet()));
            assertEquals(before, row(id));
        }
        assertEquals(400, json(token, Map.of("label", "New", "department", "a\nb")).post(base).statusCode());

        // Read-only through the API: refused like a rename, nothing changed; a stranger gets 404.
        User readOnly = users.active("dept-api-readonly");
        grants.direct(account, readOnly, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
        assertEquals(403, json(fixtures.global(readOnly), Map.of("label", "Kept", "department", "X"))
                .put(base + "/" + id).statusCode());
        User stranger = users.active("dept-api-stranger");
        assertEquals(404, json(fixtures.global(stranger), Map.of("label", "Kept", "department", "X"))
                .put(base + "/" + id).statusCode());
        assertEquals(before, row(id));
    }
}
