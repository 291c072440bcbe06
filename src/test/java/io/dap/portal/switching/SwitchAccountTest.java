package io.dap.portal.switching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** R12: the switch-account menu and page. */
@QuarkusTest
class SwitchAccountTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    EntityManager entityManager;

    @Test
    void theMenuListsOwnAccountThenSharedOnesRecentFirstAndNeverRevokedOnes() {
        User me = users.active("switcher");
        User alice = users.active("alice-owner");
        User bob = users.active("bob-owner");
        User carol = users.active("carol-owner");
        grants.direct(accounts.accountOf(alice), me, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        grants.direct(accounts.accountOf(bob), me, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
        grants.direct(accounts.accountOf(carol), me, Role.ACCOUNT_BILLING, Grant.Status.REVOKED, null);
        User dave = users.active("dave-owner");
        Long daveInfrastructure = accounts.infrastructure(accounts.accountOf(dave), dave, "Dave's ERP").id;
        grants.directOnInfrastructure(daveInfrastructure, me, Role.INFRASTRUCTURE_READ_ONLY);
        Browser browser = new Browser().signIn(me.email, Users.PASSWORD);

        String page = browser.get("/settings/profile").asString();
        String menu = page.substring(page.indexOf("account-switch"), page.indexOf("</details>",
                page.indexOf("account-switch")));
        assertTrue(menu.indexOf("My account") < menu.indexOf(alice.email), "own account first");
        assertTrue(menu.contains(alice.email) && menu.contains("Administrator"));
        assertTrue(menu.contains(bob.email) && menu.contains("Read-only"));
        assertFalse(menu.contains(carol.email), "a revoked grant is not listed");
        assertTrue(menu.contains(dave.email) && menu.contains("Dave&#39;s ERP"), "infrastructure grants name what is shared");

        // Acting in bob's account makes it the most recent.
        browser.get("/accounts/" + accounts.accountOf(bob) + "/infrastructures").then().statusCode(200);
        String after = browser.get("/settings/profile").asString();
        String menuAfter = after.substring(after.indexOf("account-switch"));
        assertTrue(menuAfter.indexOf(bob.email) < menuAfter.indexOf(alice.email), "recently used first");
        // Kept on the server: another browser, signed in afresh, sees the same order.
        String elsewhere = new Browser().signIn(me.email, Users.PASSWORD).get("/settings/profile").asString();
        String menuElsewhere = elsewhere.substring(elsewhere.indexOf("account-switch"));
        assertTrue(menuElsewhere.indexOf(bob.email) < menuElsewhere.indexOf(alice.email), "follows the user");

        // A stale link to carol's account is 404 with a way back.
        String stale = browser.get("/accounts/" + accounts.accountOf(carol) + "/infrastructures").then()
                .statusCode(404).extract().asString();
        assertTrue(stale.contains("href=\"/accounts/" + accounts.accountOf(me) + "/infrastructures\">Back to my account"),
                stale);
    }

    @Test
    void actingInAnotherAccountShowsItsNameAndColourAndTheWayBack() {
        User me = users.active("actor");
        User owner = users.active("coloured");
        Long account = accounts.accountOf(owner);
        QuarkusTransaction.requiringNew().run(() -> {
            Account row = Account.findById(account);
            row.displayName = "Acme Finance";
            row.colour = "#0f766e";
        });
        grants.direct(account, me, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
        Browser browser = new Browser().signIn(me.email, Users.PASSWORD);
        String page = browser.get("/accounts/" + account + "/infrastructures").asString();
        assertTrue(page.contains("acting-banner colour-teal"));
        assertTrue(page.contains("You are acting in <strong>Acme Finance</strong>"));
        assertTrue(page.contains("Back to my account"));
        String own = browser.get("/accounts/" + accounts.accountOf(me) + "/infrastructures").asString();
        assertFalse(own.contains("acting-banner"));
    }

    @Test
    void ownersChooseTheirAccountNameAndColourFromThePalette() {
        User owner = users.active("palette");
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        browser.get("/settings/account").then().statusCode(200);
        browser.post("/settings/account", "name", "Blue Team", "colour", "BLUE").then().statusCode(303);
        Account saved = QuarkusTransaction.requiringNew().call(() -> Account.findById(accounts.accountOf(owner)));
        assertEquals("Blue Team", saved.displayName);
        assertEquals("#1d4ed8", saved.colour);
        assertEquals(1L, QuarkusTransaction.requiringNew().call(() -> io.dap.portal.audit.AuditEvent.count(
                "action = 'ACCOUNT_SETTINGS_CHANGED' and userId = ?1 and accountId = ?2", owner.id,
                accounts.accountOf(owner))), "audited in the account (R13)");
        browser.post("/settings/account", "name", "Blue Team", "colour", "#123456").then().statusCode(303);
        assertEquals("#1d4ed8", QuarkusTransaction.requiringNew().call(() -> Account.<Account>findById(
                accounts.accountOf(owner)).colour), "only palette colours");
    }

    @Test
    void searchingAThousandSharedAccountsCostsAConstantNumberOfStatements() {
        User me = users.active("many");
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = Instant.now();
            User grantee = entityManager.find(User.class, me.id);
            for (int i = 0; i < 1000; i++) {
                User owner = new User();
                owner.email = Users.uniqueEmail("owner" + i);
                owner.displayName = String.format("Owner %04d", i);
                owner.status = User.Status.ACTIVE;
                owner.createdAt = now;
                owner.persist();
                Account account = Account.openFor(owner, now);
                Grant grant = new Grant();
                grant.account = account;
                grant.scope = Role.Scope.ACCOUNT;
                grant.grantee = grantee;
                grant.role = Role.ACCOUNT_READ_ONLY;
                grant.status = Grant.Status.ACCEPTED;
                grant.invitedBy = owner;
                grant.invitedAt = now;
                grant.persist();
            }
        });
        Browser browser = new Browser().signIn(me.email, Users.PASSWORD);
        long first = statementsFor(browser, "q", "owner 0999", "Owner 0999");
        long second = statementsFor(browser, "page", "40", "Owner 0999");
        long third = statementsFor(browser, "q", "Owner 00", "Owner 0001");
        assertEquals(first, second);
        assertEquals(first, third);
        String firstPage = browser.get("/switch").asString();
        assertTrue(firstPage.contains("Page 1 · rows 1–25") && firstPage.contains("page=2\" rel=\"next\""), firstPage);
        assertFalse(browser.get("/switch?page=40").asString().contains("rel=\"next\""), "the last page");
    }

    private long statementsFor(Browser browser, String parameter, String value, String expected) {
        Statistics statistics = entityManager.getEntityManagerFactory().unwrap(SessionFactory.class).getStatistics();
        statistics.setStatisticsEnabled(true);
        statistics.clear();
        String page = browser.request().queryParam(parameter, value).get("/switch").then().statusCode(200)
                .extract().asString();
        assertTrue(page.contains(expected), parameter + "=" + value);
        long count = statistics.getPrepareStatementCount();
        assertTrue(count > 0);
        return count;
    }
}
