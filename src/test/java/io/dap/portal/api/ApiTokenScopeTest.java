package io.dap.portal.api;

import static io.dap.portal.api.ApiFixtures.api;
import static io.dap.portal.api.ApiFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.apitoken.ApiToken;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * R14: a Restricted token reaches one account, a Global one every account its creator can act in
 * now; both are re-checked against the creator's live grants on every call (R9).
 */
@QuarkusTest
class ApiTokenScopeTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    ApiFixtures fixtures;

    @Test
    void restrictedReachesOneAccountGlobalEveryAccountAndARevokedGrantEndsBothOnTheNextCall() {
        User creator = users.active("scope-creator");
        Long a = accounts.accountOf(creator);
        User other = users.active("scope-other-owner");
        Long b = accounts.accountOf(other);
        accounts.infrastructure(b, other, "B's infrastructure");
        Browser otherBrowser = new Browser().signIn(other.email, Users.PASSWORD);
        Browser creatorBrowser = new Browser().signIn(creator.email, Users.PASSWORD);
        Long grantOnB = grants.share(otherBrowser, b, creatorBrowser, creator, Role.ACCOUNT_ADMINISTRATOR);

        String restrictedToA = ApiFixtures.createThroughPage(creatorBrowser, "only-a", "RESTRICTED", a, null);
        String restrictedToB = ApiFixtures.createThroughPage(creatorBrowser, "only-b", "RESTRICTED", b, null);
        String global = ApiFixtures.createThroughPage(creatorBrowser, "everything", "GLOBAL", null, Users.PASSWORD);

        // the creator can act in B through the pages; the token restricted to A cannot, and B looks unknown
        assertEquals(200, creatorBrowser.get("/accounts/" + b + "/infrastructures").statusCode());
        assertEquals(200, api(restrictedToA).get("/api/v1/accounts/" + a + "/infrastructures").statusCode());
        var refused = api(restrictedToA).get("/api/v1/accounts/" + b + "/infrastructures");
        assertEquals(404, refused.statusCode());
        assertEquals(api(restrictedToA).get("/api/v1/accounts/999999999/infrastructures").asString(),
                refused.asString(), "exactly like an account that does not exist");
        assertEquals(404, json(restrictedToA, Map.of("label", "sneaky")).post("/api/v1/accounts/" + b
                + "/infrastructures").statusCode());
        assertEquals(0L, countInfrastructures("label = 'sneaky'"));
        assertEquals(List.of(a.intValue()), api(restrictedToA).get("/api/v1/accounts").jsonPath().getList("items.id"));

        assertEquals(404, api(restrictedToB).get("/api/v1/accounts/" + a + "/infrastructures").statusCode());
        assertEquals(200, api(restrictedToB).get("/api/v1/accounts/" + b + "/infrastructures").statusCode());

        assertEquals(200, api(global).get("/api/v1/accounts/" + a + "/infrastructures").statusCode());
        assertEquals(200, api(global).get("/api/v1/accounts/" + b + "/infrastructures").statusCode());
        assertEquals(List.of(a.intValue(), b.intValue()), api(global).get("/api/v1/accounts").jsonPath().getList("items.id"));
        assertEquals("ACCOUNT_ADMINISTRATOR", api(global).get("/api/v1/accounts").jsonPath().getString("items[1].role"));

        // the owner of B revokes the grant: the very next call of either token finds nothing in B
        otherBrowser.get("/accounts/" + b + "/sharing/" + grantOnB + "/revoke").then().statusCode(200);
        assertEquals(303, otherBrowser.post("/accounts/" + b + "/sharing/" + grantOnB + "/revoke").statusCode());
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(grantOnB));
        assertEquals(404, api(global).get("/api/v1/accounts/" + b + "/infrastructures").statusCode());
        assertEquals(404, api(restrictedToB).get("/api/v1/accounts/" + b + "/infrastructures").statusCode());
        assertEquals(200, api(global).get("/api/v1/accounts/" + a + "/infrastructures").statusCode());
        assertEquals(List.of(a.intValue()), api(global).get("/api/v1/accounts").jsonPath().getList("items.id"));
        assertEquals(List.of(), api(restrictedToB).get("/api/v1/accounts").jsonPath().getList("items.id"));
        long refusals = QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "userId = ?1 and accountId = ?2 and action = 'ACCESS_NOT_FOUND' and apiTokenName is not null",
                creator.id, b));
        assertEquals(true, refusals >= 3, "refusals are audited with the token, got " + refusals);
    }

    @Test
    void aGlobalTokenFollowsNewGrantsAndRoleChangesOfItsCreator() {
        User creator = users.active("scope-later");
        User owner = users.active("scope-later-owner");
        Long b = accounts.accountOf(owner);
        Infrastructure infrastructure = accounts.infrastructure(b, owner, "Later");
        String global = fixtures.global(creator);
        String base = "/api/v1/accounts/" + b + "/infrastructures";
        assertEquals(404, api(global).get(base).statusCode());

        // "now or later": a grant made after the token was created counts at once
        Long grant = grants.direct(b, creator, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        assertEquals(200, api(global).get(base).statusCode());
        assertEquals(200, json(global, Map.of("label", "Renamed by token")).put(base + "/" + infrastructure.id)
                .statusCode());

        // a demotion to Read-only applies on the next call: reading yes, changing no
        QuarkusTransaction.requiringNew().run(() -> Grant.update("role = ?1 where id = ?2", Role.ACCOUNT_READ_ONLY,
                grant));
        assertEquals(200, api(global).get(base + "/" + infrastructure.id).statusCode());
        assertEquals(403, json(global, Map.of("label", "Again")).put(base + "/" + infrastructure.id).statusCode());
        assertEquals("Renamed by token", QuarkusTransaction.requiringNew()
                .call(() -> Infrastructure.<Infrastructure>findById(infrastructure.id).label));
    }

    @Test
    void aGrantThatEndsEndsTheTokenAtTheSameMoment() {
        io.dap.portal.support.MutableClock clock = new io.dap.portal.support.MutableClock(
                java.time.Instant.parse("2026-08-01T10:00:00Z"));
        io.quarkus.test.junit.QuarkusMock.installMockForType(new io.dap.portal.web.TimeSource(clock),
                io.dap.portal.web.TimeSource.class);
        User creator = users.active("scope-ending");
        User owner = users.active("scope-ending-owner");
        Long b = accounts.accountOf(owner);
        grants.direct(b, creator, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED,
                java.time.Instant.parse("2026-08-01T11:00:00Z"));
        String token = fixtures.direct(creator, ApiToken.Scope.RESTRICTED, b, null);
        String base = "/api/v1/accounts/" + b + "/infrastructures";
        assertEquals(200, api(token).get(base).statusCode());
        clock.advance(java.time.Duration.ofMinutes(59));
        assertEquals(200, api(token).get(base).statusCode());
        clock.advance(java.time.Duration.ofMinutes(1));
        assertEquals(404, api(token).get(base).statusCode(), "the grant ended, so did the token's reach");
        assertEquals(200, api(token).get("/api/v1/accounts").statusCode(), "the token itself still authenticates");
        assertEquals(List.of(), api(token).get("/api/v1/accounts").jsonPath().getList("items.id"));
    }

    @Test
    void aRestrictedTokenOnAnInfrastructureDelegatesAccountSeesOnlyThatInfrastructure() {
        User delegate = users.active("scope-infra");
        User owner = users.active("scope-infra-owner");
        Long b = accounts.accountOf(owner);
        Infrastructure shared = accounts.infrastructure(b, owner, "Shared one");
        Infrastructure hidden = accounts.infrastructure(b, owner, "Hidden one");
        fixtures.infrastructureGrant(shared, delegate, Role.INFRASTRUCTURE_ADMINISTRATOR);
        String token = fixtures.direct(delegate, ApiToken.Scope.RESTRICTED, b, null);
        String base = "/api/v1/accounts/" + b + "/infrastructures";
        assertEquals(List.of("Shared one"), api(token).get(base).jsonPath().getList("items.label"));
        assertEquals(404, api(token).get(base + "/" + hidden.id).statusCode());
        assertEquals("INFRASTRUCTURE_DELEGATE", api(token).get("/api/v1/accounts").jsonPath().getString("items[0].role"));
    }

    private static long countInfrastructures(String where) {
        return QuarkusTransaction.requiringNew().call(() -> Infrastructure.count(where));
    }

    /** A script's calls are not the person's browsing: they do not reorder the Switch account menu (R12). */
    @Test
    void apiCallsDoNotCountAsRecentlyUsedAccounts() {
        User creator = users.active("scope-visits");
        User other = users.active("scope-visits-owner");
        Long b = accounts.accountOf(other);
        grants.direct(b, creator, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
        Browser browser = new Browser().signIn(creator.email, Users.PASSWORD);
        String global = ApiFixtures.createThroughPage(browser, "visits", "GLOBAL", null, Users.PASSWORD);
        assertEquals(200, api(global).get("/api/v1/accounts/" + b + "/infrastructures").statusCode());
        assertEquals(0L, visits(creator));
        assertEquals(200, browser.get("/accounts/" + b + "/infrastructures").statusCode());
        assertEquals(1L, visits(creator));
    }

    /** The account list is paginated like every list: own account first, then account order, constant statements. */
    @Test
    void theAccountListIsPaginatedOwnAccountFirst() {
        User me = users.active("scope-pages");
        Long own = accounts.accountOf(me);
        List<Long> shared = new java.util.ArrayList<>();
        for (String name : List.of("Charlie", "Alpha", "Bravo")) {
            User owner = users.active("scope-pages-" + name.toLowerCase());
            Long account = accounts.accountOf(owner);
            QuarkusTransaction.requiringNew().run(() -> io.dap.portal.account.Account
                    .update("displayName = ?1 where id = ?2", name + " " + account, account));
            grants.direct(account, me, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
            shared.add(account);
        }
        Browser browser = new Browser().signIn(me.email, Users.PASSWORD);
        String token = ApiFixtures.createThroughPage(browser, "pages", "GLOBAL", null, Users.PASSWORD);

        var first = api(token).queryParam("size", 2).get("/api/v1/accounts");
        assertEquals(200, first.statusCode(), first.asString());
        assertEquals(4, first.jsonPath().getInt("total"));
        assertEquals(2, first.jsonPath().getInt("totalPages"));
        assertEquals(List.of(own.intValue(), shared.get(0).intValue()), first.jsonPath().getList("items.id"));
        assertEquals(List.of("OWNER", "ACCOUNT_READ_ONLY"), first.jsonPath().getList("items.role"));
        long firstStatements = statements(() -> api(token).queryParam("size", 2).get("/api/v1/accounts"));
        var second = api(token).queryParam("size", 2).queryParam("page", 2).get("/api/v1/accounts");
        assertEquals(List.of(shared.get(1).intValue(), shared.get(2).intValue()), second.jsonPath().getList("items.id"));
        assertEquals(firstStatements, statements(() -> api(token).queryParam("size", 2).queryParam("page", 2)
                .get("/api/v1/accounts")));

        var invalid = api(token).queryParam("size", 0).get("/api/v1/accounts");
        assertEquals(400, invalid.statusCode());
        assertEquals("Use a whole number from 1 to " + io.dap.portal.web.Page.MAX_SIZE + ".",
                invalid.jsonPath().getString("errors.size"));
    }

    @Inject
    jakarta.persistence.EntityManager entityManager;

    private long statements(Runnable call) {
        org.hibernate.stat.Statistics statistics = entityManager.getEntityManagerFactory()
                .unwrap(org.hibernate.SessionFactory.class).getStatistics();
        statistics.setStatisticsEnabled(true);
        statistics.clear();
        call.run();
        long count = statistics.getPrepareStatementCount();
        assertEquals(true, count > 0);
        return count;
    }

    private static long visits(User user) {
        return QuarkusTransaction.requiringNew()
                .call(() -> io.dap.portal.switching.AccountVisit.count("userId", user.id));
    }
}
