package io.dap.portal.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** R15: another user's account, infrastructure or drive answers exactly like a missing one. */
@QuarkusTest
class NotFoundNotForbiddenTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Test
    void aStrangerGets404OnEveryUrlOfAnotherAccountAndNothingChanges() {
        User owner = users.active("victim");
        Long account = accounts.accountOf(owner);
        accounts.makeBillable(account);
        Infrastructure infrastructure = accounts.infrastructure(account, owner, "Secret");
        Drive drive = accounts.pendingDrive(infrastructure.id, "disk", 10);
        User stranger = users.active("stranger");
        Browser browser = new Browser().signIn(stranger.email, Users.PASSWORD);
        browser.get("/settings/profile");

        String a = "/accounts/" + account;
        String i = a + "/infrastructures/" + infrastructure.id;
        String d = i + "/drives/" + drive.id;
        for (String get : List.of(a + "/infrastructures", a + "/infrastructures/new", i, i + "/properties",
                i + "/delete", d, a + "/billing", a + "/usage", a + "/invoices")) {
            Response response = browser.get(get);
            assertEquals(404, response.statusCode(), get);
        }
        Map<String, String> form = Map.of("label", "Pwned", "description", "x", "driveLabel", "x", "sizeGb", "10");
        for (String post : List.of(a + "/infrastructures", i + "/properties", i + "/delete", i + "/deploy",
                i + "/drives", d, d + "/delete")) {
            assertEquals(404, browser.post(post, form).statusCode(), post);
        }
        Infrastructure after = InfrastructureTest.find(infrastructure.id);
        assertEquals("Secret", after.label);
        assertEquals(Infrastructure.Status.DRAFT, after.status);
        assertEquals(1, InfrastructureTest.drives(infrastructure.id, Drive.Status.PENDING));
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> Infrastructure.count("account.id",
                account)));
        // Identical refusals are folded into one row with a count (R13): count them all.
        long refusals = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "userId = ?1 and action = 'ACCESS_NOT_FOUND'", stranger.id).stream().mapToLong(e -> e.repeatCount).sum());
        assertTrue(refusals >= 13, "every refusal is audited, got " + refusals);
    }

    @Test
    void forgedIdsAreNotFoundWhateverTheirShape() {
        User owner = users.active("forger");
        Long account = accounts.accountOf(owner);
        Infrastructure mine = accounts.infrastructure(account, owner, "Mine");
        Drive myDrive = accounts.pendingDrive(mine.id, "disk", 10);
        User other = users.active("forged-other");
        Long otherAccount = accounts.accountOf(other);
        Infrastructure foreign = accounts.infrastructure(otherAccount, other, "Foreign");
        Drive foreignDrive = accounts.pendingDrive(foreign.id, "disk", 10);
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        String base = "/accounts/" + account + "/infrastructures/";

        for (String id : List.of(String.valueOf(foreign.id), "999999999", "-1", "0", "abc", "1.5",
                String.valueOf(Long.MAX_VALUE), "99999999999999999999")) {
            assertEquals(404, browser.get(base + id).statusCode(), id);
            assertEquals(404, browser.post(base + id + "/drives", "driveLabel", "x", "sizeGb", "1").statusCode(), id);
            assertEquals(404, browser.get(base + mine.id + "/drives/" + id).statusCode(), id);
            assertEquals(404, browser.post(base + mine.id + "/drives/" + id + "/delete", Map.of()).statusCode(), id);
            // An infrastructure id can coincide with the user's own account id; that one is theirs.
            if (!id.equals(String.valueOf(account))) {
                assertEquals(404, browser.get("/accounts/" + id + "/infrastructures").statusCode(), id);
            }
        }
        assertEquals(404, browser.get("/accounts/" + otherAccount + "/infrastructures").statusCode());
        // A drive of another infrastructure through my infrastructure's URL.
        assertEquals(404, browser.get(base + mine.id + "/drives/" + foreignDrive.id).statusCode());
        assertEquals(404, browser.post(base + mine.id + "/drives/" + foreignDrive.id + "/delete", Map.of())
                .statusCode());
        assertEquals(1, InfrastructureTest.drives(foreign.id, Drive.Status.PENDING));
        assertEquals(1, InfrastructureTest.drives(mine.id, Drive.Status.PENDING));
        assertEquals(200, browser.get(base + mine.id + "/drives/" + myDrive.id).statusCode());
    }

    @Test
    void theOwnerOfOneAccountHasNothingInAnother() {
        User one = users.active("one");
        User two = users.active("two");
        Browser browser = new Browser().signIn(one.email, Users.PASSWORD);
        assertEquals(200, browser.get("/accounts/" + accounts.accountOf(one) + "/infrastructures").statusCode());
        assertEquals(404, browser.get("/accounts/" + accounts.accountOf(two) + "/infrastructures").statusCode());
    }
}
