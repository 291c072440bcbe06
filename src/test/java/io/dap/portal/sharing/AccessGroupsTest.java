package io.dap.portal.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
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
 * Access groups: several addresses invited at once with one role, label and end date, each its own
 * grant and invitation, the answer per address without telling who had a portal account; the label
 * filters the sharing pages and "revoke all with this label" ends the group in one confirmed action.
 */
@QuarkusTest
class AccessGroupsTest {

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

    @BeforeEach
    void clearMailbox() {
        mailbox.clear();
    }

    @Test
    void aGroupIsInvitedAddressByAddressAndTheAnswerSaysWhatHappenedToEachWithoutTellingWhoHadAnAccount() {
        User owner = users.active("group-owner");
        Long account = accounts.accountOf(owner);
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        String withAccount = users.active("group-known").email;
        String withoutAccount = Users.uniqueEmail("group-unknown");
        String third = Users.uniqueEmail("group-third");
        String delegate = Users.uniqueEmail("group-already");
        grants.invite(browser, account, delegate, Role.ACCOUNT_READ_ONLY, null);
        assertEquals(1, mailbox.deliverAndRead(delegate).size());
        mailbox.clear();

        String label = "Auditors " + System.nanoTime();
        Response invited = browser.post("/accounts/" + account + "/sharing/invite", "email",
                withAccount + ", " + withoutAccount + "\n" + third + "; " + delegate + "\n" + owner.email + "\n"
                        + withAccount.toUpperCase(java.util.Locale.ROOT),
                "role", Role.ACCOUNT_BILLING.name(), "label", label, "until", "");
        assertEquals(303, invited.statusCode());
        String page = browser.follow(invited).asString();
        assertTrue(page.contains("Invited (3): " + withAccount + ", " + withoutAccount + ", " + third + "."), page);
        assertTrue(page.contains("Not invited: already has access or a pending invitation here (1): " + delegate),
                page);
        assertTrue(page.contains("Not invited: You cannot invite yourself (1): " + owner.email), page);
        for (String address : List.of(withAccount, withoutAccount, third)) {
            assertEquals(1, mailbox.deliverAndRead(address).size(), "one invitation each: " + address);
            assertEquals(label, labelOf(account, address));
        }
        assertTrue(mailbox.deliverAndRead(delegate).isEmpty());
        // Having a portal account or not shows nowhere in the answer: both are simply "Invited".
        assertFalse(page.contains("account exists") || page.contains("new account"));
    }

    @Test
    void aBadAddressStopsTheWholeGroupBeforeAnythingIsSentAndFiftyIsTheMost() {
        User owner = users.active("group-bad");
        Long account = accounts.accountOf(owner);
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        String good = Users.uniqueEmail("group-good");
        Response bad = browser.post("/accounts/" + account + "/sharing/invite", "email", good + ", not-an-address",
                "role", Role.ACCOUNT_READ_ONLY.name(), "label", "", "until", "");
        assertEquals(303, bad.statusCode());
        assertTrue(browser.follow(bad).asString().contains("These are not email addresses: not-an-address."));
        assertTrue(mailbox.deliverAndRead(good).isEmpty(), "nothing sent for a form with a mistake");

        List<String> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add("group-many-" + i + "-" + System.nanoTime() + "@example.org");
        }
        Response tooMany = browser.post("/accounts/" + account + "/sharing/invite", "email", String.join("\n", many),
                "role", Role.ACCOUNT_READ_ONLY.name(), "label", "", "until", "");
        assertTrue(browser.follow(tooMany).asString().contains("Invite at most 50 addresses at once; you entered 51."));
        assertTrue(mailbox.deliverAndRead(many.get(0)).isEmpty());

        // The API invites one person per call.
        String token = api.global(owner);
        Infrastructure x = accounts.infrastructure(account, owner, "Group API");
        ApiFixtures.json(token, Map.of("email", good + "," + Users.uniqueEmail("second"), "role",
                "INFRASTRUCTURE_READ_ONLY")).post("/api/v1/accounts/" + account + "/infrastructures/" + x.id
                        + "/grants").then().statusCode(400);
    }

    @Test
    void theLabelFiltersTheSharingPageAndRevokingTheGroupEndsExactlyItsAccess() {
        User owner = users.active("group-revoke");
        Long account = accounts.accountOf(owner);
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        String label = "Contractors " + System.nanoTime();
        User member = users.active("group-member");
        Browser memberBrowser = new Browser().signIn(member.email, Users.PASSWORD);
        String pending = Users.uniqueEmail("group-pending");
        String outsider = Users.uniqueEmail("group-outsider");
        browser.post("/accounts/" + account + "/sharing/invite", "email", member.email + "\n" + pending, "role",
                Role.ACCOUNT_READ_ONLY.name(), "label", label, "until", "").then().statusCode(303);
        grants.accept(memberBrowser, member.email);
        grants.invite(browser, account, outsider, Role.ACCOUNT_READ_ONLY, null);
        browser.get("/accounts/" + account + "/sharing"); // reads the invitation's flash message

        // As a browser's GET form sends it: a space becomes '+'.
        String encoded = java.net.URLEncoder.encode(label, java.nio.charset.StandardCharsets.UTF_8);
        String filtered = browser.get("/accounts/" + account + "/sharing?label=" + encoded).asString();
        assertTrue(filtered.contains(member.email) && filtered.contains(pending));
        assertFalse(filtered.contains(outsider), "the filter shows the group only: " + filtered);
        assertTrue(filtered.contains("<option value=\"" + label + "\" selected>"));

        String confirm = browser.get("/accounts/" + account + "/sharing/groups/revoke?label=" + encoded).then()
                .statusCode(200).extract().asString();
        assertTrue(confirm.contains("Revoke all 2"));
        assertFalse(confirm.contains(outsider));
        assertEquals(404, browser.get("/accounts/" + account + "/sharing/groups/revoke?label=nobody").statusCode());
        // Only the owner manages account sharing: the group revocation does not exist for the member.
        assertEquals(404, memberBrowser.post("/accounts/" + account + "/sharing/groups/revoke", "label", label)
                .statusCode());

        // A label no grant can carry (a NUL, which PostgreSQL refuses as a parameter) ends nothing.
        Response impossible = browser.post("/accounts/" + account + "/sharing/groups/revoke", "label", label + "\u0000");
        assertEquals(303, impossible.statusCode());
        assertEquals(Grant.Status.PENDING, statusOf(account, pending), "nothing ended by a label no grant has");

        mailbox.clear();
        Response revoked = browser.post("/accounts/" + account + "/sharing/groups/revoke", "label", label);
        assertEquals(303, revoked.statusCode());
        assertTrue(browser.follow(revoked).asString().contains("2 grants ended"));
        assertEquals(404, memberBrowser.get("/accounts/" + account + "/infrastructures").statusCode());
        assertEquals(1, mailbox.deliverAndRead(member.email).size(), "the member who had access is told");
        assertEquals(Grant.Status.PENDING, statusOf(account, outsider), "outside the group: untouched");
        assertEquals(Grant.Status.CANCELLED, statusOf(account, pending));
    }

    @Test
    void anInfrastructureDelegateSeesNoLabelsOnTheTabTheyCanOnlyRead() {
        User owner = users.active("group-tab");
        Long account = accounts.accountOf(owner);
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        Infrastructure x = accounts.infrastructure(account, owner, "Group tab");
        User reader = users.active("group-tab-reader");
        Browser readerBrowser = new Browser().signIn(reader.email, Users.PASSWORD);
        String label = "Night shift " + System.nanoTime();
        grants.inviteToInfrastructure(browser, account, x.id, reader.email, Role.INFRASTRUCTURE_READ_ONLY, label);
        grants.accept(readerBrowser, reader.email);
        String tab = "/accounts/" + account + "/infrastructures/" + x.id + "/sharing";
        assertTrue(browser.get(tab).asString().contains("Access group (label)"));
        String seen = readerBrowser.get(tab).asString();
        assertFalse(seen.contains(label));
        assertFalse(seen.contains("Access group (label)"));
        assertEquals(403, readerBrowser.post(tab + "/groups/revoke", "label", label).statusCode());
    }

    private static String labelOf(Long account, String email) {
        return QuarkusTransaction.requiringNew().call(() -> Grant.find("select g.label from Grant g"
                + " where g.account.id = ?1 and g.grantee.email = ?2", account, email).project(String.class)
                .firstResult());
    }

    private static Grant.Status statusOf(Long account, String email) {
        return QuarkusTransaction.requiringNew().call(() -> Grant.<Grant>find("account.id = ?1 and grantee.email = ?2",
                account, email).firstResult().status);
    }
}
