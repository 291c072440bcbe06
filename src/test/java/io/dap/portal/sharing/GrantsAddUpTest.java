package io.dap.portal.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.Role;
import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.api.ApiFixtures;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * R16 grants add up: a person holding an account-wide grant and an infrastructure grant in the
 * same account gets the union of both, on the pages, in the API, in the switch menu, in the SSH-key
 * holders and for impersonation. (Before R16 the account-wide role hid the infrastructure one.)
 */
@QuarkusTest
class GrantsAddUpTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    Mailbox mailbox;

    @Inject
    ApiFixtures api;

    @Inject
    AccessPolicy policy;

    @BeforeEach
    void clearMailbox() {
        mailbox.clear();
    }

    record World(User owner, Long account, Browser ownerBrowser, Infrastructure x, Infrastructure y) {

        String path(Infrastructure infrastructure) {
            return "/accounts/" + account + "/infrastructures/" + infrastructure.id;
        }
    }

    private World world(String prefix) {
        User owner = users.active(prefix + "-owner");
        Long account = accounts.accountOf(owner);
        accounts.makeBillable(account);
        Infrastructure x = accounts.infrastructure(account, owner, prefix + " X");
        Infrastructure y = accounts.infrastructure(account, owner, prefix + " Y");
        return new World(owner, account, new Browser().signIn(owner.email, Users.PASSWORD), x, y);
    }

    @Test
    void accountReadOnlyPlusInfrastructureAdministratorManagesThatInfrastructureOnPagesAndApi() {
        World w = world("union-ro");
        User person = users.active("union-ro-person");
        Browser browser = new Browser().signIn(person.email, Users.PASSWORD);
        grants.share(w.ownerBrowser(), w.account(), browser, person, Role.ACCOUNT_READ_ONLY);
        grants.shareInfrastructure(w.ownerBrowser(), w.account(), w.x().id, browser, person,
                Role.INFRASTRUCTURE_ADMINISTRATOR);

        // Pages: drives and deploy on X (the infrastructure grant), read-only on Y (the account grant).
        Response onX = browser.post(w.path(w.x()) + "/drives", "driveLabel", "data", "sizeGb", "10");
        assertEquals(303, onX.statusCode(), "R16: the infrastructure Administrator grant counts on X");
        assertEquals(1, liveDrives(w.x().id));
        assertEquals(403, browser.post(w.path(w.y()) + "/drives", "driveLabel", "data", "sizeGb", "10").statusCode());
        assertEquals(0, liveDrives(w.y().id));
        assertEquals(303, browser.post(w.path(w.x()) + "/deploy").statusCode());
        assertEquals(Infrastructure.Status.DEPLOYED, statusOf(w.x().id));
        assertEquals(403, browser.post(w.path(w.x()) + "/delete").statusCode(), "R4: still no delete");
        assertEquals(200, browser.get(w.path(w.y())).statusCode(), "the account grant still shows Y");

        // The editor offers what the union allows.
        assertTrue(browser.get(w.path(w.x())).asString().contains("Add a drive"), "the add-drive form is shown on X");
        assertTrue(!browser.get(w.path(w.y())).asString().contains("Add a drive"), "and not on Y");

        // The switch menu names both.
        String page = browser.get("/settings/profile").asString();
        assertTrue(page.contains("Read-only · " + w.x().label + " (Administrator)"), "switch menu label");

        // The API, with a Global token of the person.
        String token = api.global(person);
        ApiFixtures.json(token, Map.of("label", "api", "sizeGb", 5))
                .post("/api/v1/accounts/" + w.account() + "/infrastructures/" + w.x().id + "/drives")
                .then().statusCode(201);
        ApiFixtures.json(token, Map.of("label", "api", "sizeGb", 5))
                .post("/api/v1/accounts/" + w.account() + "/infrastructures/" + w.y().id + "/drives")
                .then().statusCode(403);
        List<Map<String, Object>> accountsJson = ApiFixtures.api(token).get("/api/v1/accounts?size=100")
                .then().statusCode(200).extract().jsonPath().getList("items");
        Map<String, Object> shared = accountsJson.stream()
                .filter(a -> ((Number) a.get("id")).longValue() == w.account()).findFirst().orElseThrow();
        assertEquals("ACCOUNT_READ_ONLY", shared.get("role"));
        assertEquals(List.of(Map.of("infrastructureId", w.x().id.intValue(), "role", "INFRASTRUCTURE_ADMINISTRATOR")),
                shared.get("infrastructures"));

        // R11 with R16: their keys go onto X's drives, not Y's.
        assertTrue(policy.sshKeyHolders(w.x()).contains(person.id));
        assertTrue(!policy.sshKeyHolders(w.y()).contains(person.id));
    }

    @Test
    void billingPlusInfrastructureAdministratorKeepsBillingAndGainsDrivesButNeverImpersonation() {
        World w = world("union-billing");
        User person = users.active("union-billing-person");
        Browser browser = new Browser().signIn(person.email, Users.PASSWORD);
        grants.shareInfrastructure(w.ownerBrowser(), w.account(), w.x().id, browser, person,
                Role.INFRASTRUCTURE_ADMINISTRATOR);
        grants.share(w.ownerBrowser(), w.account(), browser, person, Role.ACCOUNT_BILLING);

        assertEquals(200, browser.get("/accounts/" + w.account() + "/billing").statusCode());
        assertEquals(303, browser.post(w.path(w.x()) + "/drives", "driveLabel", "disk", "sizeGb", "10").statusCode());
        assertEquals(403, browser.post(w.path(w.y()) + "/drives", "driveLabel", "disk", "sizeGb", "10").statusCode());
        // Impersonation needs an account Administrator grant (R10); no other grant adds up to it.
        assertEquals(403, browser.get("/accounts/" + w.account() + "/impersonation").statusCode());
        assertTrue(browser.get("/settings/profile").asString()
                .contains("Billing · " + w.x().label + " (Administrator)"));
    }

    @Test
    void anAccountAdministratorsInfrastructureGrantAddsNothingAndIsNotListedAsAnAddition() {
        World w = world("union-admin");
        User person = users.active("union-admin-person");
        Browser browser = new Browser().signIn(person.email, Users.PASSWORD);
        // The infrastructure grant first: once the account grant exists, R17 refuses it as covered.
        grants.shareInfrastructure(w.ownerBrowser(), w.account(), w.x().id, browser, person,
                Role.INFRASTRUCTURE_READ_ONLY);
        grants.share(w.ownerBrowser(), w.account(), browser, person, Role.ACCOUNT_ADMINISTRATOR);

        assertEquals(303, browser.post(w.path(w.x()) + "/drives", "driveLabel", "disk", "sizeGb", "10").statusCode(),
                "R16: a narrower infrastructure grant never narrows the account role");
        assertEquals(200, browser.get("/accounts/" + w.account() + "/impersonation").statusCode());
        String page = browser.get("/settings/profile").asString();
        assertTrue(page.contains(w.owner().email + " · Administrator</span>"), "switch menu label");
        assertTrue(!page.contains(w.x().label + " (Read-only)"), "a covered infrastructure grant is not listed");
    }

    private static long liveDrives(Long infrastructureId) {
        return QuarkusTransaction.requiringNew().call(() -> Drive.count("infrastructure.id = ?1 and status <> ?2",
                infrastructureId, Drive.Status.DELETED));
    }

    private static Infrastructure.Status statusOf(Long infrastructureId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> Infrastructure.<Infrastructure>findById(infrastructureId).status);
    }
}
