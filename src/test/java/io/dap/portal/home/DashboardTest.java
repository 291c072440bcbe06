package io.dap.portal.home;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.api.ApiFixtures;
import io.dap.portal.apitoken.ApiToken;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The dashboard at / : invitations answered in place, accounts shared with me, who has access to
 * my account, tokens about to expire and my latest security events; designed empty states; the
 * same statements whatever the user holds.
 */
@QuarkusTest
class DashboardTest {

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
    TimeSource time;

    @Inject
    EntityManager entityManager;

    @BeforeEach
    void clearMailbox() {
        mailbox.clear();
    }

    @Test
    void aNewUserSeesEveryBlockEmptyAndSignedOutVisitorsTheWelcome() {
        User user = users.active("dash-new");
        String page = new Browser().signIn(user.email, Users.PASSWORD).get("/").then().statusCode(200).extract()
                .asString();
        assertTrue(page.contains("<h1>Dashboard</h1>"));
        assertTrue(page.contains("No invitation is waiting"));
        assertTrue(page.contains("Nobody shares an account or an infrastructure with you yet"));
        assertTrue(page.contains("Only you."));
        assertTrue(page.contains("None of your API tokens expires in the next 14 days"));
        assertTrue(new Browser().get("/").then().statusCode(200).extract().asString().contains("Create an account"));
    }

    @Test
    void invitationsAreAnsweredInPlaceAndTheBlocksShowWhatTheUserHolds() {
        User owner = users.active("dash-owner");
        Long account = accounts.accountOf(owner);
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        User me = users.active("dash-me");
        Browser browser = new Browser().signIn(me.email, Users.PASSWORD);
        String label = "dash-private-" + System.nanoTime();
        ownerBrowser.post("/accounts/" + account + "/sharing/invite", "email", me.email, "role",
                Role.ACCOUNT_BILLING.name(), "label", label, "until", "").then().statusCode(303);
        Long grant = grants.invite(ownerBrowser, account, Users.uniqueEmail("dash-other"), Role.ACCOUNT_READ_ONLY,
                null);
        String before = browser.get("/").asString();
        assertTrue(before.contains("invites you to the account of " + owner.displayName + " as <strong>Billing"));
        assertFalse(before.contains(label), "never the granter's label");

        Long mine = grantOf(me, account);
        Response accepted = browser.post("/settings/shared-with-me/" + mine + "/accept", "back", "dashboard");
        assertEquals(303, accepted.statusCode());
        assertTrue(accepted.header("Location").matches("https?://[^/]+/"), "back to the dashboard");
        String after = browser.follow(accepted).asString();
        assertTrue(after.contains("Invitation accepted."));
        assertTrue(after.contains("No invitation is waiting"));
        assertTrue(after.contains(owner.email + " · Billing"), "the account now shared with me");

        // The owner's dashboard counts people by role and state, with the way to Account sharing.
        String owners = ownerBrowser.get("/").asString();
        assertTrue(owners.contains("<td>Billing</td><td><span class=\"badge badge--accepted\">Accepted</span></td><td class=\"num\">1</td>"),
                owners);
        assertTrue(owners.contains("<td>Read-only</td><td><span class=\"badge badge--pending\">Pending</span></td><td class=\"num\">1</td>"));
        assertTrue(owners.contains("/accounts/" + account + "/sharing"));
        // Access that ran out is counted apart from the access that works.
        grants.direct(account, users.active("dash-ran-out"), Role.ACCOUNT_BILLING, Grant.Status.ACCEPTED,
                time.now().minus(Duration.ofDays(1)));
        String withExpired = ownerBrowser.get("/").asString();
        assertTrue(withExpired.contains("<td>Billing</td><td><span class=\"badge badge--expired\">Expired</span></td><td class=\"num\">1</td>"));
        assertTrue(withExpired.contains("<td>Billing</td><td><span class=\"badge badge--accepted\">Accepted</span></td><td class=\"num\">1</td>"));
        assertEquals(Grant.Status.PENDING, Grants.statusOf(grant));

        // A token expiring in ten days is called out; one in a month is not.
        api.direct(me, ApiToken.Scope.GLOBAL, null, time.now().plus(Duration.ofDays(10)));
        api.direct(me, ApiToken.Scope.GLOBAL, null, time.now().plus(Duration.ofDays(30)));
        String tokens = browser.get("/").asString();
        assertEquals(1, count(tokens, "expires on"), "one token expiring within 14 days");
        assertTrue(tokens.contains("Signed in"), "the security log block shows the sign-in");
    }

    @Test
    void theDashboardCostsTheSameStatementsForOneGrantAndForForty() {
        User small = users.active("dash-small");
        User large = users.active("dash-large");
        for (int i = 0; i < 1; i++) {
            share(small);
        }
        for (int i = 0; i < 40; i++) {
            share(large);
        }
        long one = statementsFor(new Browser().signIn(small.email, Users.PASSWORD));
        long forty = statementsFor(new Browser().signIn(large.email, Users.PASSWORD));
        assertEquals(one, forty);
    }

    private void share(User grantee) {
        User owner = users.active("dash-granter");
        grants.direct(accounts.accountOf(owner), grantee, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
        grants.direct(accounts.accountOf(grantee), owner, Role.ACCOUNT_READ_ONLY, Grant.Status.PENDING, null);
    }

    private long statementsFor(Browser browser) {
        Statistics statistics = entityManager.getEntityManagerFactory().unwrap(SessionFactory.class).getStatistics();
        statistics.setStatisticsEnabled(true);
        statistics.clear();
        assertTrue(browser.get("/").then().statusCode(200).extract().asString().contains("Shared with you"));
        return statistics.getPrepareStatementCount();
    }

    private static Long grantOf(User grantee, Long account) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> Grant.find(
                "select g.id from Grant g where g.grantee.id = ?1 and g.account.id = ?2", grantee.id, account)
                .project(Long.class).firstResult());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
