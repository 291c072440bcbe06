package io.dap.portal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.stat.QueryStatistics;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.notification.Notification;
import io.dap.portal.access.Grant;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Links;
import io.dap.portal.support.Users;
import io.dap.portal.switching.AccountVisit;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A signed-in page costs what it shows: each list page runs the same number of SQL statements for
 * a few rows and for more than two pages of them, header included, and the session check with the
 * header costs at most four statements. The benchmark (src/bench/run.sh) measures the time; this
 * keeps the statement counts honest on every build.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PageCostTest {

    private static final int FEW = 2;
    private static final int MANY = 60;

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    EntityManager entityManager;

    private Side small;
    private Side large;

    /** One side of the comparison: an owner's account and a member holding grants elsewhere. */
    private record Side(Browser owner, Long account, Long infrastructure, Browser member) {

        String path(String page) {
            return "/accounts/" + account + page.replace("{id}", String.valueOf(infrastructure));
        }
    }

    /** Once for the class, from the first test: the HTTP port is known only once a test runs. */
    @BeforeEach
    void seed() {
        if (small == null) {
            small = side("small", FEW);
            large = side("large", MANY);
        }
    }

    @Test
    void theSessionCheckAndTheHeaderCostAtMostFourStatements() {
        // Settings › Profile shows nothing the session did not read: what it runs is the header's.
        long few = statements(small.member(), "/settings/profile");
        long many = statements(large.member(), "/settings/profile");
        assertTrue(few <= 4, "session and header: " + few + " statements");
        assertEquals(few, many, "a member of " + MANY + " accounts pays what a member of " + FEW + " does");
        assertTrue(large.member().get("/settings/profile").asString().contains("All shared accounts, with search"),
                "the menu shows a few and leads to the rest");
    }

    /**
     * Hibernate keeps a query's translation to SQL, unless a parameter holds a list ({@code in :ids}):
     * then it translates the query again on every run, which cost the header more CPU than the
     * database did (web/InList). No query of these pages binds a list, and on a second visit the
     * header's menu query finds its HQL and its SQL in the cache: two hits per run.
     */
    @Test
    void onASecondVisitNoQueryIsTranslatedAgain() {
        Map<String, Browser> pages = new LinkedHashMap<>();
        for (String path : List.of("/settings/profile", "/switch", "/settings/shared-with-me", "/")) {
            pages.put(path, large.member());
        }
        for (String page : List.of("/infrastructures", "/usage", "/usage?chart=department", "/sharing",
                "/sharing/who-can-act", "/infrastructures/{id}/sharing")) {
            pages.put(large.path(page), large.owner());
        }
        Pattern listParameter = Pattern.compile("(?i)\\bin [:?]\\w");
        List<String> listBound = new ArrayList<>();
        pages.forEach((path, browser) -> {
            Statistics statistics = visitedTwice(browser, path);
            for (String query : statistics.getQueries()) {
                if (listParameter.matcher(query).find()) {
                    listBound.add(path + ": " + query);
                }
            }
        });
        assertEquals(List.of(), listBound, "queries translated again on every run");

        Statistics statistics = visitedTwice(large.member(), "/settings/profile");
        String menu = Stream.of(statistics.getQueries()).filter(q -> q.contains("from Grant g join g.account a"))
                .findFirst().orElseThrow();
        QueryStatistics runs = statistics.getQueryStatistics(menu);
        assertTrue(runs.getExecutionCount() > 0 && runs.getPlanCacheHitCount() == 2 * runs.getExecutionCount(),
                runs.getPlanCacheHitCount() + " cache hits for " + runs.getExecutionCount() + " runs of " + menu);
    }

    /**
     * Hibernate's statistics of the second of two visits: the first settles what a first visit
     * writes (the session's last-seen time).
     */
    private Statistics visitedTwice(Browser browser, String path) {
        browser.get(path).then().statusCode(200);
        Statistics statistics = entityManager.getEntityManagerFactory().unwrap(SessionFactory.class).getStatistics();
        statistics.setStatisticsEnabled(true);
        statistics.clear();
        browser.get(path).then().statusCode(200);
        return statistics;
    }

    @Test
    void everyListPageCostsTheSameForAFewRowsAndForMany() {
        Map<String, long[]> costs = new LinkedHashMap<>();
        for (String path : List.of("/", "/switch", "/settings/shared-with-me", "/notifications")) {
            costs.put(path, new long[] { statements(small.member(), path), statements(large.member(), path) });
        }
        costs.put("/settings/security-log", new long[] { statements(small.owner(), "/settings/security-log"),
                statements(large.owner(), "/settings/security-log") });
        // The dashboard, as the owner: who has access to the account, counted in one grouped statement.
        costs.put("/ (owner)", new long[] { statements(small.owner(), "/"), statements(large.owner(), "/") });
        for (String page : List.of("/infrastructures", "/usage", "/usage?chart=department", "/audit", "/audit?action=INFRASTRUCTURE_UPDATED",
                "/sharing", "/sharing?label=team", "/sharing/who-can-act", "/infrastructures/{id}/sharing",
                "/infrastructures/{id}/sharing?label=team")) {
            costs.put(page, new long[] { statements(small.owner(), small.path(page)),
                    statements(large.owner(), large.path(page)) });
        }
        assertSame(costs);
    }

    @Test
    void aLaterPageCostsWhatTheFirstDoes() {
        Map<String, long[]> costs = new LinkedHashMap<>();
        costs.put("/switch?page=2", new long[] { statements(large.member(), "/switch"),
                statements(large.member(), "/switch?page=2") });
        costs.put("/settings/shared-with-me?page=2", new long[] { statements(large.member(), "/settings/shared-with-me"),
                statements(large.member(), "/settings/shared-with-me?page=2") });
        for (String page : List.of("/infrastructures?page=2", "/usage?page=2", "/usage?chart=department&page=2",
                "/sharing?page=2&twoFactorPage=2", "/sharing/who-can-act?page=2",
                "/infrastructures/{id}/sharing?delegates=2")) {
            // The first page: the same path, with what picks the view (chart=…) kept.
            String first = page.contains("chart=") ? page.substring(0, page.indexOf('&'))
                    : page.substring(0, page.indexOf('?'));
            costs.put(page, new long[] { statements(large.owner(), large.path(first)),
                    statements(large.owner(), large.path(page)) });
        }
        assertSame(costs);
    }

    private static void assertSame(Map<String, long[]> costs) {
        List<String> grown = new ArrayList<>();
        costs.forEach((page, count) -> {
            if (count[0] != count[1]) {
                grown.add(page + ": " + count[0] + " → " + count[1]);
            }
        });
        assertTrue(grown.isEmpty(), "statements grew with the data: " + grown);
    }

    /**
     * The embedded H2 database keeps what it parsed per connection, in a cache whose size PortalMain
     * sets (8 by default). A page whose statements, header included, do not all fit is parsed afresh
     * on every request; with 8, the Sharing tab of an infrastructure was, and every parsed statement
     * lived just long enough to be promoted (a full collection every 5 to 6 s while that page was
     * busy).
     */
    @Test
    void everyPageFitsInTheStatementsH2KeepsParsed() {
        int kept = Integer.parseInt(System.getProperty("h2.queryCacheSize", "8"));
        Map<String, Long> costs = new LinkedHashMap<>();
        for (String path : List.of("/", "/switch", "/settings/shared-with-me", "/notifications", "/settings/profile")) {
            costs.put(path, statements(large.member(), path));
        }
        for (String page : List.of("/infrastructures", "/usage", "/audit", "/sharing", "/sharing/who-can-act",
                "/infrastructures/{id}/sharing")) {
            costs.put(page, statements(large.owner(), large.path(page)));
        }
        long most = costs.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(most > 8, "the busiest page runs " + most + " statements, more than H2's default keeps: " + costs);
        assertTrue(most <= kept, "the busiest page runs " + most + " statements; H2 keeps " + kept + ": " + costs);
        String database = entityManager.unwrap(Session.class)
                .doReturningWork(connection -> connection.getMetaData().getDatabaseProductName());
        if (database.equals("H2")) {
            Object applied = entityManager.createNativeQuery(
                    "select setting_value from information_schema.settings where setting_name = 'QUERY_CACHE_SIZE'")
                    .getSingleResult();
            assertEquals(String.valueOf(kept), applied, "what the database itself uses");
        }
    }

    @Test
    void anOlderPageOfTheAuditLogCostsWhatTheFirstDoes() {
        Browser owner = large.owner();
        String path = "/accounts/" + large.account() + "/audit";
        long first = statements(owner, path);
        String older = Links.rel(owner.get(path).asString(), "next");
        long second = statements(owner, older);
        String oldest = Links.rel(owner.get(older).asString(), "next");
        assertEquals(first, second);
        assertEquals(first, statements(owner, oldest));
    }

    private long statements(Browser browser, String path) {
        return visitedTwice(browser, path).getPrepareStatementCount();
    }

    private Side side(String name, int rows) {
        User owner = users.active("cost-" + name + "-owner");
        User member = users.active("cost-" + name + "-member");
        Long account = accounts.accountOf(owner);
        List<User> people = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            people.add(users.active("cost-" + name + "-" + i));
        }
        Long[] first = new Long[1];
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = Instant.now();
            Instant deployed = now.minus(Duration.ofDays(3));
            Account acting = Account.findById(account);
            User creator = User.findById(owner.id);
            for (int i = 0; i < rows; i++) {
                Infrastructure infrastructure = new Infrastructure();
                infrastructure.account = acting;
                infrastructure.label = String.format("node-%03d", i);
                infrastructure.description = "";
                // Departments grow with the data too: the usage page groups by them.
                infrastructure.department = i % 7 == 6 ? null : "dept-" + i % 7;
                infrastructure.status = Infrastructure.Status.DEPLOYED;
                infrastructure.createdBy = creator;
                infrastructure.createdAt = deployed;
                infrastructure.deployedAt = deployed;
                infrastructure.persist();
                if (first[0] == null) {
                    first[0] = infrastructure.id;
                }
                Drive drive = new Drive();
                drive.infrastructure = infrastructure;
                drive.label = "disk";
                drive.sizeGb = 10;
                drive.status = Drive.Status.RUNNING;
                drive.createdAt = deployed;
                drive.provisionedAt = deployed;
                drive.provisionedBy = creator;
                drive.persist();

                User person = User.findById(people.get(i).id);
                // The owner shares the account with each person, and each person's account with the member.
                grant(acting, person, Role.ACCOUNT_READ_ONLY, null, now);
                grant(Account.findById(accounts.accountOf(person)), User.findById(member.id),
                        Role.ACCOUNT_READ_ONLY, null, now);
                audit(owner, account, now.minusSeconds(i));
                Notification.send(member.id, "notification " + i, null, now.minusSeconds(i));
            }
            grant(acting, User.findById(people.get(0).id), Role.INFRASTRUCTURE_ADMINISTRATOR,
                    Infrastructure.findById(first[0]), now);
            AccountVisit visit = new AccountVisit();
            visit.userId = member.id;
            visit.accountId = accounts.accountOf(people.get(rows - 1));
            visit.visitedAt = now;
            visit.persist();
        });
        return new Side(new Browser().signIn(owner.email, Users.PASSWORD), account, first[0],
                new Browser().signIn(member.email, Users.PASSWORD));
    }

    private static void grant(Account account, User grantee, Role role, Infrastructure infrastructure, Instant now) {
        Grant grant = new Grant();
        grant.account = account;
        grant.scope = role.scope();
        grant.infrastructure = infrastructure;
        grant.grantee = grantee;
        grant.role = role;
        grant.label = "team";
        grant.status = Grant.Status.ACCEPTED;
        grant.invitedBy = account.owner;
        grant.invitedAt = now;
        grant.respondedAt = now;
        grant.persist();
    }

    private static void audit(User owner, Long account, Instant at) {
        AuditEvent event = new AuditEvent();
        event.occurredAt = at;
        event.userId = owner.id;
        event.userEmail = owner.email;
        event.accountId = account;
        event.action = AuditAction.INFRASTRUCTURE_UPDATED.name();
        event.outcome = AuditEvent.Outcome.SUCCESS;
        event.target = "infrastructure";
        event.persist();
    }
}
