package io.dap.portal.infrastructure;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class InfrastructureTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Test
    void afterSignInTheOwnerLandsOnTheDashboardWhichLeadsToTheirOwnInfrastructures() {
        User owner = users.active("landing");
        Long account = accounts.accountOf(owner);
        Browser browser = new Browser();
        Response signedIn = browser.post("/login", "email", owner.email, "password", Users.PASSWORD);
        Response landing = browser.follow(signedIn);
        landing.then().statusCode(303).header("Location", matchesPattern("https?://[^/]+/"));
        browser.follow(landing).then().statusCode(200).body(containsString("<h1>Dashboard</h1>"))
                .body(containsString("href=\"/accounts/" + account + "/infrastructures\""));
    }

    @Test
    void theOwnerCreatesEditsAddsDrivesDeploysAfterBillingAndDeletes() {
        User owner = users.active("owner");
        Long account = accounts.accountOf(owner);
        String base = "/accounts/" + account + "/infrastructures";
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);

        browser.get(base + "/new").then().statusCode(200);
        Response created = browser.post(base, "label", "Web", "description", "Marketing");
        created.then().statusCode(303);
        String path = created.header("Location").replaceFirst("^https?://[^/]+", "");
        Long id = Long.valueOf(path.substring(path.lastIndexOf('/') + 1));
        Infrastructure row = find(id);
        assertEquals(account, row.account.id, "owned by the acting account");
        assertEquals(owner.id, row.createdBy.id);
        assertEquals(Infrastructure.Status.DRAFT, row.status);

        browser.post(path + "/properties", "label", "Web shop", "description", "Marketing").then().statusCode(303);
        assertEquals("Web shop", find(id).label);

        browser.post(path + "/drives", "driveLabel", "db", "sizeGb", "100").then().statusCode(303);
        browser.post(path + "/drives", "driveLabel", "cache", "sizeGb", "20").then().statusCode(303);
        browser.get(base).then().statusCode(200).body(containsString("Web shop")).body(containsString("draft"));

        // Not billable: refused with a message naming the owner, nothing provisioned.
        Response refused = browser.post(path + "/deploy", Map.of());
        refused.then().statusCode(303).header("Location", endsWith(path));
        browser.follow(refused).then().body(containsString(
                owner.email + " must add billing information before this infrastructure can be deployed"));
        assertEquals(0, drives(id, Drive.Status.RUNNING));

        accounts.makeBillable(account);
        browser.post(path + "/deploy", Map.of()).then().statusCode(303);
        assertEquals(2, drives(id, Drive.Status.RUNNING));
        assertEquals(Infrastructure.Status.DEPLOYED, find(id).status);
        Drive running = QuarkusTransaction.requiringNew().call(() -> Drive.<Drive>find(
                "infrastructure.id = ?1 order by id", id).firstResult());
        assertEquals(owner.id, QuarkusTransaction.requiringNew()
                .call(() -> Drive.<Drive>findById(running.id).provisionedBy.id));

        // Removing billing refuses the next deploy; running drives keep running.
        accounts.removePaymentMethod(account);
        browser.post(path + "/drives", "driveLabel", "extra", "sizeGb", "10").then().statusCode(303);
        browser.follow(browser.post(path + "/deploy", Map.of())).then()
                .body(containsString("must add billing information"));
        assertEquals(2, drives(id, Drive.Status.RUNNING));
        assertEquals(1, drives(id, Drive.Status.PENDING));

        browser.get(path + "/delete").then().statusCode(200).body(containsString("Delete Web shop?"));
        browser.post(path + "/delete", Map.of()).then().statusCode(303).header("Location", endsWith(base));
        Infrastructure deleted = find(id);
        assertEquals(Infrastructure.Status.DELETED, deleted.status);
        assertEquals(3, drives(id, Drive.Status.DELETED), "drives stop, rows stay for the usage history");
        browser.get(base).then().body(not(containsString("href=\"" + path + "\"")));
        browser.get(path).then().statusCode(404);
    }

    @Test
    void aChangeAfterDeployLeavesRunningDrivesAndProvisionsNewOnesNextTime() {
        User owner = users.active("redeploy");
        Long account = accounts.accountOf(owner);
        accounts.makeBillable(account);
        Infrastructure infrastructure = accounts.infrastructure(account, owner, "Hadoop");
        Drive first = accounts.pendingDrive(infrastructure.id, "node-1", 500);
        String path = "/accounts/" + account + "/infrastructures/" + infrastructure.id;
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        browser.post(path + "/deploy", Map.of()).then().statusCode(303);
        var firstProvisioned = provisionedAt(first.id);

        // A running drive keeps its size; its name can change.
        browser.follow(browser.post(path + "/drives/" + first.id, "driveLabel", "node-1", "sizeGb", "900"))
                .then().body(containsString("A running drive keeps its size"));
        assertEquals(500, QuarkusTransaction.requiringNew().call(() -> Drive.<Drive>findById(first.id).sizeGb));

        browser.post(path + "/drives", "driveLabel", "node-2", "sizeGb", "500").then().statusCode(303);
        browser.post(path + "/deploy", Map.of()).then().statusCode(303);
        assertEquals(2, drives(infrastructure.id, Drive.Status.RUNNING));
        assertEquals(firstProvisioned, provisionedAt(first.id), "the running drive was left as it was");
        browser.follow(browser.post(path + "/deploy", Map.of())).then().body(containsString("Nothing to deploy"));
    }

    @Test
    void badDriveAndInfrastructureInputIsRefusedWithMessagesAndNoRow() {
        User owner = users.active("badinput");
        Long account = accounts.accountOf(owner);
        Infrastructure infrastructure = accounts.infrastructure(account, owner, "Valid");
        String base = "/accounts/" + account + "/infrastructures";
        String path = base + "/" + infrastructure.id;
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);

        browser.follow(browser.post(base, "label", "  ", "description", "")).then()
                .body(containsString("Give the infrastructure a name"));
        browser.follow(browser.post(base, "label", "x".repeat(101), "description", "")).then()
                .body(containsString("at most 100 characters"));
        for (String size : List.of("0", "-5", "abc", "16385", "1e3", "99999999999")) {
            browser.follow(browser.post(path + "/drives", "driveLabel", "d", "sizeGb", size)).then()
                    .body(containsString("Enter a whole number of GB from 1 to 16384"));
        }
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> Infrastructure.count("account.id", account)));
        assertEquals(0, QuarkusTransaction.requiringNew().call(() -> Drive.count("infrastructure.id",
                infrastructure.id)));
    }

    @Test
    void theListIsSearchableAndPaginated() {
        User owner = users.active("paging");
        Long account = accounts.accountOf(owner);
        for (int i = 1; i <= 30; i++) {
            accounts.infrastructure(account, owner, String.format("node-%02d", i));
        }
        accounts.infrastructure(account, owner, "special 50%_x");
        String base = "/accounts/" + account + "/infrastructures";
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        String first = browser.get(base).asString();
        assertTrue(first.contains("Page 1 · rows 1–25") && first.contains("page=2\" rel=\"next\""));
        assertTrue(first.contains("node-25") && !first.contains("node-26"));
        assertTrue(browser.get(base + "?page=2").asString().contains("node-30"));
        String search = browser.get(base + "?q=NODE-1").asString();
        assertTrue(search.contains("node-10") && search.contains("node-19") && !search.contains("node-20"));
        String literal = browser.request().queryParam("q", "%_").get(base).asString();
        assertTrue(literal.contains("special 50%_x") && !literal.contains("node-01"), "% and _ are literal");
        browser.get(base + "?q=nothing-like-this").then().body(containsString("No infrastructure matches"));
        browser.get(base + "?page=-3").then().statusCode(200);
    }

    @Test
    void twoSimultaneousDeploysProvisionEachDriveOnce() throws Exception {
        User owner = users.active("race");
        Long account = accounts.accountOf(owner);
        accounts.makeBillable(account);
        accounts.key(owner, "laptop", Accounts.fixtureKey("ed25519"));
        Infrastructure infrastructure = accounts.infrastructure(account, owner, "Race");
        Drive drive = accounts.pendingDrive(infrastructure.id, "d", 10);
        String path = "/accounts/" + account + "/infrastructures/" + infrastructure.id + "/deploy";
        Browser a = new Browser().signIn(owner.email, Users.PASSWORD);
        Browser b = new Browser().signIn(owner.email, Users.PASSWORD);
        a.get("/settings/profile");
        b.get("/settings/profile");
        var pool = Executors.newFixedThreadPool(2);
        List<Future<Response>> results = pool.invokeAll(List.<Callable<Response>>of(
                () -> a.post(path, Map.of()), () -> b.post(path, Map.of())));
        pool.shutdown();
        for (Future<Response> result : results) {
            assertEquals(303, result.get().statusCode());
        }
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> io.dap.portal.sshkey.DriveKey.count(
                "drive.id", drive.id)), "one snapshot, not two");
    }

    static Infrastructure find(Long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Infrastructure i = Infrastructure.findById(id);
            i.account.id.hashCode();
            i.createdBy.id.hashCode();
            return i;
        });
    }

    static long drives(Long infrastructureId, Drive.Status status) {
        return QuarkusTransaction.requiringNew().call(() -> Drive.count("infrastructure.id = ?1 and status = ?2",
                infrastructureId, status));
    }

    static java.time.Instant provisionedAt(Long driveId) {
        var at = QuarkusTransaction.requiringNew().call(() -> Drive.<Drive>findById(driveId).provisionedAt);
        assertNotNull(at);
        return at;
    }

}
