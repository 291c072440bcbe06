package io.dap.portal.sharing;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.api.ApiFixtures;
import io.dap.portal.apitoken.ApiToken;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.notification.Notification;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.RefusalMark;
import io.dap.portal.support.TwoFactorCodes;
import io.dap.portal.support.Users;
import io.dap.portal.twofactor.TwoFactorRequiredPage;
import io.dap.portal.twofactor.TwoFactorRequirement;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * R19: an owner requires a second factor of the people they share with. A delegate without one
 * gets, in that account, the requirement and the way to enrol, and nothing else, pages and API alike.
 */
@QuarkusTest
class TwoFactorRequirementTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    ApiFixtures api;

    @Inject
    Mailbox mailbox;

    @Inject
    TwoFactorCodes codes;

    @Inject
    EntityManager entityManager;

    private User owner;
    private Long account;
    private Browser ownerBrowser;
    private User admin;
    private User infraDelegate;
    private User secured;
    private byte[] securedSecret;
    private Long infrastructure;

    @BeforeEach
    void organisation() {
        mailbox.clear();
        owner = users.active(Users.uniqueEmail("req-owner"), "Olga Owner");
        account = accounts.accountOf(owner);
        admin = users.active("req-admin");
        infraDelegate = users.active("req-infra");
        secured = users.active("req-secured");
        grants.direct(account, admin, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        grants.direct(account, secured, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
        Infrastructure erp = accounts.infrastructure(account, owner, "ERP");
        infrastructure = erp.id;
        grants.directOnInfrastructure(erp.id, infraDelegate, Role.INFRASTRUCTURE_ADMINISTRATOR);
        securedSecret = codes.enableDirect(secured);
        ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
    }

    @Test
    void theOwnerSeesWhoHasASecondFactorAndTurningItOnTellsEachDelegateWithoutItOnce() {
        String page = ownerBrowser.get(sharing()).then().statusCode(200).extract().asString();
        assertTrue(page.contains("Require two-factor sign-in for people I share with"));
        assertEquals("No", twoFactorOf(page, admin.email));
        assertEquals("No", twoFactorOf(page, infraDelegate.email));
        assertEquals("Yes", twoFactorOf(page, secured.email));

        Response on = ownerBrowser.post(sharing() + "/two-factor", "required", "on");
        on.then().statusCode(303).header("Location", endsWith(sharing()));
        ownerBrowser.follow(on).then().body(containsString("Two-factor sign-in is now required"))
                .body(containsString("name=\"required\" value=\"on\" checked"));
        // A second click (or a second tab) changes nothing and tells nobody again.
        ownerBrowser.post(sharing() + "/two-factor", "required", "on").then().statusCode(303);

        assertTrue(isOn());
        for (User told : List.of(admin, infraDelegate)) {
            assertEquals(1, mailbox.deliverAndRead(told.email).size(), told.email);
            assertEquals("Olga Owner (" + owner.email + ") requires two-factor sign-in",
                    mailbox.deliverAndRead(told.email).get(0).getSubject());
            assertEquals(1L, notificationsOf(told));
        }
        assertTrue(mailbox.deliverAndRead(secured.email).isEmpty(), "who has it already is not bothered");
        assertEquals(0L, notificationsOf(secured));
        List<AuditEvent> audited = audit(AuditAction.TWO_FACTOR_REQUIREMENT_ON);
        assertEquals(1, audited.size());
        assertEquals(owner.id, audited.get(0).userId);
        assertEquals("2 delegates without it told", audited.get(0).detail);

        Response off = ownerBrowser.post(sharing() + "/two-factor");
        off.then().statusCode(303);
        assertTrue(!isOn());
        assertEquals(1, audit(AuditAction.TWO_FACTOR_REQUIREMENT_OFF).size());
    }

    @Test
    void aDelegateWithoutASecondFactorGetsOnlyTheRequirementUntilTheyEnrol() {
        Browser adminBrowser = new Browser().signIn(admin.email, Users.PASSWORD);
        Browser infraBrowser = new Browser().signIn(infraDelegate.email, Users.PASSWORD);
        Browser securedBrowser = codes.signIn(new Browser(), secured, securedSecret);
        adminBrowser.get(base() + "/infrastructures").then().statusCode(200);
        ownerBrowser.post(sharing() + "/two-factor", "required", "on");

        RefusalMark mark = RefusalMark.now();
        for (String path : List.of("/infrastructures", "/infrastructures/" + infrastructure, "/usage", "/audit",
                "/impersonation", "/infrastructures/new")) {
            adminBrowser.get(base() + path).then().statusCode(403)
                    .body(containsString("requires two-factor sign-in: its owner asks it of everyone they share it with"))
                    .body(containsString("href=\"/settings/two-factor\""))
                    .body(not(containsString("ERP")));
        }
        adminBrowser.post(base() + "/infrastructures", "label", "Sneaky", "description", "").then().statusCode(403);
        infraBrowser.get(base() + "/infrastructures/" + infrastructure).then().statusCode(403)
                .body(containsString("Set up two-factor sign-in"));
        assertEquals(1L, (long) QuarkusTransaction.requiringNew()
                .call(() -> Infrastructure.count("account.id", account)), "nothing was created");
        assertTrue(mark.since(admin.id, AuditAction.ACCESS_FORBIDDEN.name(),
                "account " + account + " (two-factor sign-in required)") >= 6);

        // Their own account, and the one who has a second factor, are untouched; so is the owner.
        adminBrowser.get("/dashboard").then().statusCode(303);
        adminBrowser.get("/settings/two-factor").then().statusCode(200);
        securedBrowser.get(base() + "/infrastructures").then().statusCode(200).body(containsString("ERP"));
        ownerBrowser.get(base() + "/infrastructures").then().statusCode(200);
        // Someone with no access at all still finds nothing there (R15): the requirement reveals nothing.
        new Browser().signIn(users.active("stranger").email, Users.PASSWORD).get(base() + "/infrastructures")
                .then().statusCode(404);

        // The admin enrols, and is back in at the next request.
        codes.enrol(adminBrowser, Users.PASSWORD);
        adminBrowser.get(base() + "/infrastructures").then().statusCode(200).body(containsString("ERP"));
        infraBrowser.get(base() + "/infrastructures/" + infrastructure).then().statusCode(403);

        // Turning the requirement off lets everybody back in.
        ownerBrowser.post(sharing() + "/two-factor");
        infraBrowser.get(base() + "/infrastructures/" + infrastructure).then().statusCode(200);
    }

    @Test
    void apiTokensOfADelegateWithoutASecondFactorGetAProblemNamingTheReason() {
        String adminToken = api.direct(admin, ApiToken.Scope.RESTRICTED, account, null);
        String securedToken = api.global(secured);
        ApiFixtures.api(adminToken).get("/api/v1/accounts/" + account + "/infrastructures").then().statusCode(200);
        ownerBrowser.post(sharing() + "/two-factor", "required", "on");

        ApiFixtures.api(adminToken).get("/api/v1/accounts/" + account + "/infrastructures").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo(TwoFactorRequiredPage.PROBLEM_TYPE))
                .body("status", org.hamcrest.Matchers.equalTo(403))
                .body("detail", containsString("requires two-factor sign-in"));
        ApiFixtures.api(adminToken).contentType("application/json")
                .post("/api/v1/accounts/" + account + "/infrastructures/" + infrastructure + "/deploy").then()
                .statusCode(403).body("type", org.hamcrest.Matchers.equalTo(TwoFactorRequiredPage.PROBLEM_TYPE));
        ApiFixtures.api(securedToken).get("/api/v1/accounts/" + account + "/infrastructures").then().statusCode(200);
        // The owner's own tokens are never refused in their account.
        ApiFixtures.api(api.global(owner)).get("/api/v1/accounts/" + account + "/infrastructures").then()
                .statusCode(200);
    }

    @Test
    void whoHasASecondFactorCostsTheSameStatementsForThreePeopleAsForForty() {
        for (int i = 0; i < 37; i++) {
            User delegate = users.active("many-" + i);
            grants.directOnInfrastructure(infrastructure, delegate, Role.INFRASTRUCTURE_READ_ONLY);
            if (i % 3 == 0) {
                codes.enableDirect(delegate);
            }
        }
        User small = users.active(Users.uniqueEmail("few-owner"), "Few Owner");
        Long smallAccount = accounts.accountOf(small);
        for (int i = 0; i < 3; i++) {
            grants.direct(smallAccount, users.active("few-" + i), Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
        }
        Browser smallBrowser = new Browser().signIn(small.email, Users.PASSWORD);
        long few = statementsFor(smallBrowser, "/accounts/" + smallAccount + "/sharing");
        long forty = statementsFor(ownerBrowser, sharing());
        long secondPage = statementsFor(ownerBrowser, sharing() + "?twoFactorPage=2");
        assertEquals(few, forty);
        assertEquals(few, secondPage);
        String page = ownerBrowser.get(sharing() + "?twoFactorPage=2").asString();
        assertTrue(page.contains("Page 2 · rows 26–40"), "40 people, 25 a page");
        assertTrue(page.contains("twoFactorPage=1\" rel=\"prev\"") && !page.contains("twoFactorPage=3"), "no third page");
    }

    private long statementsFor(Browser browser, String path) {
        Statistics statistics = entityManager.getEntityManagerFactory().unwrap(SessionFactory.class).getStatistics();
        statistics.setStatisticsEnabled(true);
        statistics.clear();
        browser.get(path).then().statusCode(200);
        return statistics.getPrepareStatementCount();
    }

    @Test
    void onlyTheOwnerTurnsItOn() {
        Browser adminBrowser = new Browser().signIn(admin.email, Users.PASSWORD);
        adminBrowser.get(base() + "/infrastructures");
        adminBrowser.post(sharing() + "/two-factor", "required", "on").then().statusCode(404);
        Browser other = new Browser().signIn(users.active("outsider").email, Users.PASSWORD);
        other.post(sharing() + "/two-factor", "required", "on").then().statusCode(404);
        assertTrue(!isOn());
        assertTrue(mailbox.deliverAndRead(admin.email).isEmpty());
    }

    private String base() {
        return "/accounts/" + account;
    }

    private String sharing() {
        return base() + "/sharing";
    }

    private boolean isOn() {
        return QuarkusTransaction.requiringNew().call(() -> TwoFactorRequirement.isOn(account));
    }

    private static long notificationsOf(User user) {
        return QuarkusTransaction.requiringNew().call(() -> Notification.count("userId = ?1 and link = ?2", user.id,
                "/settings/two-factor"));
    }

    private List<AuditEvent> audit(AuditAction action) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "accountId = ?1 and action = ?2", account, action.name()));
    }

    /** The Yes/No next to a person in the owner's two-factor table. */
    private static String twoFactorOf(String page, String email) {
        Matcher row = Pattern.compile("<span class=\"muted\">" + Pattern.quote(email)
                + "</span></td><td><span class=\"badge[^\"]*\">(Yes|No)</span>").matcher(page);
        assertTrue(row.find(), "no two-factor row for " + email);
        return row.group(1);
    }
}
