package io.dap.portal.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Infrastructure;
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
 * R17 revocation leaves no way in: nobody invites themselves or is invited to access they already
 * hold; revoking a person offers to end every grant they hold in the account (listed, ticked by
 * default); grants a revoked Administrator gave stay, because they belong to the account, unless
 * the owner ends them too.
 */
@QuarkusTest
class RevocationLeavesNoWayInTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    Mailbox mailbox;

    @BeforeEach
    void clearMailbox() {
        mailbox.clear();
    }

    record Person(User user, Browser browser) {
    }

    record World(Person owner, Long account, Infrastructure x, Infrastructure y) {

        String sharing() {
            return "/accounts/" + account + "/sharing";
        }

        String tab(Infrastructure infrastructure) {
            return "/accounts/" + account + "/infrastructures/" + infrastructure.id + "/sharing";
        }

        String path(Infrastructure infrastructure) {
            return "/accounts/" + account + "/infrastructures/" + infrastructure.id;
        }
    }

    private Person person(String prefix) {
        User user = users.active(prefix);
        return new Person(user, new Browser().signIn(user.email, Users.PASSWORD));
    }

    private World world(String prefix) {
        Person owner = person(prefix + "-owner");
        Long account = accounts.accountOf(owner.user());
        return new World(owner, account, accounts.infrastructure(account, owner.user(), prefix + " X"),
                accounts.infrastructure(account, owner.user(), prefix + " Y"));
    }

    @Test
    void anAccountAdministratorCannotInviteThemselvesToAnInfrastructure() {
        World w = world("self");
        Person admin = person("self-admin");
        grants.share(w.owner().browser(), w.account(), admin.browser(), admin.user(), Role.ACCOUNT_ADMINISTRATOR);
        long before = grantsOf(admin.user(), w.account());

        Response invite = admin.browser().post(w.tab(w.x()) + "/invite", "email", admin.user().email, "role",
                Role.INFRASTRUCTURE_ADMINISTRATOR.name(), "label", "", "until", "");

        assertEquals(303, invite.statusCode());
        assertTrue(admin.browser().follow(invite).asString().contains("You cannot invite yourself."));
        assertEquals(before, grantsOf(admin.user(), w.account()), "no self-grant was written");
    }

    @Test
    void anInvitationThatWouldAddNothingIsRefusedAndOneThatAddsIsNot() {
        World w = world("covered");
        Person reader = person("covered-reader");
        grants.share(w.owner().browser(), w.account(), reader.browser(), reader.user(), Role.ACCOUNT_READ_ONLY);

        Response same = w.owner().browser().post(w.tab(w.x()) + "/invite", "email", reader.user().email, "role",
                Role.INFRASTRUCTURE_READ_ONLY.name(), "label", "", "until", "");
        assertEquals(303, same.statusCode());
        assertTrue(w.owner().browser().follow(same).asString().contains("already has this access, or more"));
        assertEquals(1, grantsOf(reader.user(), w.account()));

        // Administrator on X is more than account Read-only gives there: that one goes out.
        grants.inviteToInfrastructure(w.owner().browser(), w.account(), w.x().id, reader.user().email,
                Role.INFRASTRUCTURE_ADMINISTRATOR, "");
        assertEquals(2, grantsOf(reader.user(), w.account()));
    }

    @Test
    void revokingAnAdministratorEndsEveryGrantTheyHoldInTheAccountByDefault() {
        World w = world("every");
        Person admin = person("every-admin");
        // The way in that used to survive: an infrastructure grant held beside the account grant.
        Long onX = grants.shareInfrastructure(w.owner().browser(), w.account(), w.x().id, admin.browser(),
                admin.user(), Role.INFRASTRUCTURE_ADMINISTRATOR);
        Long accountWide = grants.share(w.owner().browser(), w.account(), admin.browser(), admin.user(),
                Role.ACCOUNT_ADMINISTRATOR);

        String confirm = w.owner().browser().get(w.sharing() + "/" + accountWide + "/revoke").then().statusCode(200)
                .extract().asString();
        assertTrue(confirm.contains("Their other access in this account"), "the other grant is listed");
        assertTrue(confirm.contains(w.x().label), "by its infrastructure");
        assertTrue(confirm.contains("name=\"endEvery\" value=\"on\" checked"), "ending every grant is the default");

        Response revoked = w.owner().browser().post(w.sharing() + "/" + accountWide + "/revoke", "endEvery", "on");
        assertEquals(303, revoked.statusCode());
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(accountWide));
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(onX));
        assertEquals(404, admin.browser().get(w.path(w.x())).statusCode(), "no way in is left");
        assertEquals(404, admin.browser().get("/accounts/" + w.account() + "/infrastructures").statusCode());
    }

    @Test
    void untickingEndEveryKeepsTheOtherGrantsAsTheOwnerChose() {
        World w = world("keep");
        Person admin = person("keep-admin");
        Long onX = grants.shareInfrastructure(w.owner().browser(), w.account(), w.x().id, admin.browser(),
                admin.user(), Role.INFRASTRUCTURE_ADMINISTRATOR);
        Long accountWide = grants.share(w.owner().browser(), w.account(), admin.browser(), admin.user(),
                Role.ACCOUNT_ADMINISTRATOR);

        // An unticked checkbox is simply not posted.
        assertEquals(303, w.owner().browser().post(w.sharing() + "/" + accountWide + "/revoke").statusCode());
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(accountWide));
        assertEquals(Grant.Status.ACCEPTED, Grants.statusOf(onX));
        assertEquals(200, admin.browser().get(w.path(w.x())).statusCode(), "X only, as the owner chose");
        assertEquals(404, admin.browser().get(w.path(w.y())).statusCode());
    }

    @Test
    void grantsARevokedAdministratorGaveStayUnlessTheOwnerEndsThemToo() {
        World w = world("given");
        Person admin = person("given-admin");
        Person mktg = person("given-mktg");
        Person bi = person("given-bi");
        Long adminGrant = grants.share(w.owner().browser(), w.account(), admin.browser(), admin.user(),
                Role.ACCOUNT_ADMINISTRATOR);
        Long mktgGrant = grants.shareInfrastructure(admin.browser(), w.account(), w.x().id, mktg.browser(),
                mktg.user(), Role.INFRASTRUCTURE_ADMINISTRATOR);

        String confirm = w.owner().browser().get(w.sharing() + "/" + adminGrant + "/revoke").asString();
        assertTrue(confirm.contains("Access they gave others"));
        assertTrue(confirm.contains(mktg.user().email));
        assertTrue(confirm.contains("name=\"endGiven\" value=\"on\">"), "ending what they gave is not the default");

        assertEquals(303, w.owner().browser().post(w.sharing() + "/" + adminGrant + "/revoke", "endEvery", "on")
                .statusCode());
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(adminGrant));
        assertEquals(Grant.Status.ACCEPTED, Grants.statusOf(mktgGrant), "the rule: given access belongs to the account");
        assertEquals(200, mktg.browser().get(w.path(w.x())).statusCode());

        // The second Administrator's grants go with them when the owner says so.
        Person second = person("given-second");
        Long secondGrant = grants.share(w.owner().browser(), w.account(), second.browser(), second.user(),
                Role.ACCOUNT_ADMINISTRATOR);
        Long biGrant = grants.shareInfrastructure(second.browser(), w.account(), w.y().id, bi.browser(), bi.user(),
                Role.INFRASTRUCTURE_READ_ONLY);
        Response both = w.owner().browser().post(w.sharing() + "/" + secondGrant + "/revoke", "endEvery", "on",
                "endGiven", "on");
        assertEquals(303, both.statusCode());
        assertTrue(w.owner().browser().follow(both).asString().contains("1 grant they had given also ended"));
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(biGrant));
        assertEquals(404, bi.browser().get(w.path(w.y())).statusCode());
        assertEquals(Grant.Status.ACCEPTED, Grants.statusOf(mktgGrant), "another Administrator's gifts are untouched");
    }

    @Test
    void theOwnerEndsWhatAPersonGaveFromAnInfrastructuresTabToo() {
        World w = world("tab-given");
        Person admin = person("tab-given-admin");
        Person guest = person("tab-given-guest");
        Long adminOnX = grants.shareInfrastructure(w.owner().browser(), w.account(), w.x().id, admin.browser(),
                admin.user(), Role.INFRASTRUCTURE_ADMINISTRATOR);
        Long accountWide = grants.share(w.owner().browser(), w.account(), admin.browser(), admin.user(),
                Role.ACCOUNT_ADMINISTRATOR);
        Long guestOnY = grants.shareInfrastructure(admin.browser(), w.account(), w.y().id, guest.browser(),
                guest.user(), Role.INFRASTRUCTURE_READ_ONLY);

        String confirm = w.owner().browser().get(w.tab(w.x()) + "/" + adminOnX + "/revoke").then().statusCode(200)
                .extract().asString();
        assertTrue(confirm.contains("Access they gave others") && confirm.contains(guest.user().email), confirm);
        // X's tab offers the same choices as Account sharing, and honours them the same way.
        Response revoked = w.owner().browser().post(w.tab(w.x()) + "/" + adminOnX + "/revoke", "endEvery", "on",
                "endGiven", "on");
        assertEquals(303, revoked.statusCode());
        assertTrue(w.owner().browser().follow(revoked).asString().contains("1 grant they had given also ended"));
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(adminOnX));
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(accountWide));
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(guestOnY));
        assertEquals(404, guest.browser().get(w.path(w.y())).statusCode(), "no way in is left for the guest");
    }

    @Test
    void anAdministratorEndsAnInfrastructureDelegatesOtherInfrastructuresButNotTheOwnersAccountGrant() {
        World w = world("admin-tab");
        Person admin = person("admin-tab-admin");
        Person delegate = person("admin-tab-delegate");
        grants.share(w.owner().browser(), w.account(), admin.browser(), admin.user(), Role.ACCOUNT_ADMINISTRATOR);
        Long onX = grants.shareInfrastructure(admin.browser(), w.account(), w.x().id, delegate.browser(),
                delegate.user(), Role.INFRASTRUCTURE_ADMINISTRATOR);
        Long onY = grants.shareInfrastructure(w.owner().browser(), w.account(), w.y().id, delegate.browser(),
                delegate.user(), Role.INFRASTRUCTURE_ADMINISTRATOR);
        Long billing = grants.share(w.owner().browser(), w.account(), delegate.browser(), delegate.user(),
                Role.ACCOUNT_BILLING);

        String confirm = admin.browser().get(w.tab(w.x()) + "/" + onX + "/revoke").then().statusCode(200).extract()
                .asString();
        assertTrue(confirm.contains("which only the account's owner can end"), "the account grant is named, not offered");
        assertFalse(confirm.contains("Access they gave others"), "only the owner decides about given access");

        assertEquals(303, admin.browser().post(w.tab(w.x()) + "/" + onX + "/revoke", "endEvery", "on").statusCode());
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(onX));
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(onY));
        assertEquals(Grant.Status.ACCEPTED, Grants.statusOf(billing), "R5: only the owner removes account delegates");
    }

    private static long grantsOf(User user, Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> Grant.count("grantee.id = ?1 and account.id = ?2",
                user.id, accountId));
    }
}
