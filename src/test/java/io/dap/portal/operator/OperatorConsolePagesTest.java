package io.dap.portal.operator;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.apitoken.ApiToken;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.session.UserSession;
import io.dap.portal.access.Grant;
import io.dap.portal.sshkey.SshKey;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.OperatorFixtures;
import io.dap.portal.support.TwoFactorCodes;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * R21, the console's pages: search by address, name or id (wildcards taken literally); a user's and
 * an account's pages and the search cost the same SQL statements for a handful of rows as for many;
 * the platform-wide log's views (operator actions, impersonations, refusals) and its CSV.
 */
@QuarkusTest
class OperatorConsolePagesTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    OperatorFixtures operators;

    @Inject
    TwoFactorCodes codes;

    @Inject
    EntityManager entityManager;

    private Browser operator;

    @BeforeEach
    void anOperator() {
        OperatorFixtures.Operator lead = operators.withTwoFactor(OperatorFixtures.LEAD);
        operator = codes.signIn(new Browser(), lead.user(), lead.secret());
    }

    @Test
    void searchFindsUsersAndAccountsByAddressNameOrId() {
        String tag = "srch" + System.nanoTime();
        User person = users.active(tag + "-person@example.org", "Zelda Quartermain");
        Long account = accounts.accountOf(person);
        QuarkusTransaction.requiringNew().run(() -> Account.<Account>findById(account).displayName = "Blue Lagoon "
                + tag);

        for (String query : new String[] { tag + "-PERSON", "quartermain", "lagoon " + tag, person.id.toString(),
                account.toString() }) {
            operator.get("/operator?q=" + query).then().statusCode(200).body(containsString(person.email))
                    .body(containsString("/operator/accounts/" + account));
        }
        operator.get("/operator?q=" + tag + "%").then().statusCode(200)
                .body(containsString("Nobody matches “" + tag + "%”"));
        operator.get("/operator?q=srch_").then().statusCode(200).body(not(containsString(person.email)));
        operator.get("/operator").then().statusCode(200).body(containsString("Newest users"));
    }

    @Test
    void theSearchAUsersPageAndAnAccountsPageCostTheSameStatementsForFewRowsAsForMany() {
        String tag = "bulk" + System.nanoTime();
        seedUsers(tag + "-few-", 3);
        seedUsers(tag + "-many-", 120);
        long few = statements("/operator?q=" + tag + "-few-");
        long many = statements("/operator?q=" + tag + "-many-");
        long last = statements("/operator?q=" + tag + "-many-&page=5");
        assertEquals(few, many);
        assertEquals(few, last);

        User small = users.active("pages-small");
        User large = users.active("pages-large");
        fill(small, 1);
        fill(large, 30);
        long smallUser = statements("/operator/users/" + small.id);
        long largeUser = statements("/operator/users/" + large.id);
        assertEquals(smallUser, largeUser);
        assertEquals(smallUser, statements("/operator/users/" + large.id + "?sessions=2&tokens=2&keys=2&received=2"
                + "&given=2&log=2"));
        assertTrue(smallUser <= 30, "a bounded number of statements: " + smallUser);

        long smallAccount = statements("/operator/accounts/" + accounts.accountOf(small));
        long largeAccount = statements("/operator/accounts/" + accounts.accountOf(large));
        assertEquals(smallAccount, largeAccount);
    }

    @Test
    void thePlatformLogShowsOperatorActionsImpersonationsAndRefusalsApartAndAsCsv() {
        User plain = users.active("platform-plain");
        Browser plainBrowser = new Browser().signIn(plain.email, Users.PASSWORD);
        plainBrowser.get("/accounts/999999999/infrastructures").then().statusCode(404);
        User subject = users.active("platform-subject");
        operator.post("/operator/users/" + subject.id + "/disable", "reason", "platform log test");

        String user = "&user=" + plain.email;
        operator.get("/operator/audit?kind=REFUSAL" + user).then().statusCode(200)
                .body(containsString("account 999999999")).body(containsString("Refused: not found"));
        operator.get("/operator/audit?kind=OPERATOR" + user).then().statusCode(200)
                .body(containsString("No event matches"));
        operator.get("/operator/audit?kind=OPERATOR&action=USER_DISABLED").then().statusCode(200)
                .body(containsString(subject.email)).body(containsString("portal support"));
        operator.get("/operator/audit?kind=IMPERSONATION&action=USER_DISABLED").then().statusCode(200)
                .body(containsString("No event matches"));
        operator.get("/operator/audit?kind=nonsense&user=" + plain.email).then().statusCode(200)
                .body(containsString("account 999999999")).body(containsString("Signed in"));

        Response csv = operator.get("/operator/audit.csv?kind=OPERATOR&action=USER_DISABLED");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.contentType().startsWith("text/csv"));
        assertTrue(csv.header("Content-Disposition").contains("audit-platform-operator.csv"));
        String body = csv.asString();
        assertTrue(body.startsWith("time_utc,user,impersonating,action,target,outcome,repeats,client_address,via,"
                + "by_operator\r\n"), body);
        assertTrue(body.contains(subject.email) && body.contains(",yes\r\n"), body);
        assertTrue(!body.contains(plain.email), body);

        // The account page's log is the owner's log: same filters, same CSV.
        Long account = accounts.accountOf(plain);
        operator.get("/operator/accounts/" + account + "/audit?user=" + plain.email).then().statusCode(200);
        Response accountCsv = operator.get("/operator/accounts/" + account + "/audit.csv");
        assertEquals(200, accountCsv.statusCode());
        assertTrue(accountCsv.header("Content-Disposition").contains("audit-account-" + account + ".csv"));
        assertTrue(accountCsv.asString().startsWith("time_utc,user,impersonating,action,target,outcome,repeats,"
                + "client_address,via,by_operator\r\n"), accountCsv.asString());
        // The owner's own CSV keeps its columns: scripts reading it are not broken.
        String ownCsv = plainBrowser.get("/accounts/" + account + "/audit.csv").asString();
        assertTrue(ownCsv.startsWith("time_utc,user,impersonating,action,target,outcome,repeats,client_address,via\r\n"),
                ownCsv);
        operator.get("/operator/accounts/999999999").then().statusCode(404);
        operator.get("/operator/accounts/abc/audit").then().statusCode(404);
        operator.get("/operator/users/0").then().statusCode(404);
    }

    private long statements(String path) {
        Statistics statistics = entityManager.getEntityManagerFactory().unwrap(SessionFactory.class).getStatistics();
        statistics.setStatisticsEnabled(true);
        statistics.clear();
        operator.get(path).then().statusCode(200);
        return statistics.getPrepareStatementCount();
    }

    private void seedUsers(String prefix, int count) {
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = Instant.now();
            for (int i = 0; i < count; i++) {
                User user = new User();
                user.email = prefix + i + "@example.org";
                user.displayName = "Bulk " + i;
                user.status = User.Status.ACTIVE;
                user.createdAt = now;
                entityManager.persist(user);
                Account.openFor(user, now);
            }
        });
    }

    /** Sessions, tokens, keys, grants received and given, log entries and infrastructures: {@code count} of each. */
    private void fill(User user, int count) {
        Long own = accounts.accountOf(user);
        for (int i = 0; i < count; i++) {
            User other = users.active("pages-other");
            grants.direct(accounts.accountOf(other), user, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
            grants.direct(own, other, Role.ACCOUNT_BILLING, Grant.Status.PENDING, null);
        }
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = Instant.now();
            User managed = User.findById(user.id);
            for (int i = 0; i < count; i++) {
                UserSession session = new UserSession();
                session.user = managed;
                session.tokenHash = "h" + System.nanoTime() + "x" + i;
                session.createdAt = now;
                session.lastSeenAt = now;
                session.expiresAt = now.plusSeconds(3600);
                session.clientAddress = "127.0.0.1";
                session.userAgent = "test";
                session.persist();
                ApiToken token = new ApiToken();
                token.user = managed;
                token.name = "t" + i;
                token.scope = ApiToken.Scope.GLOBAL;
                token.tokenHash = "k" + System.nanoTime() + "x" + i;
                token.displayPrefix = "dap_test";
                token.createdAt = now;
                token.expiresAt = now.plusSeconds(3600);
                token.persist();
                SshKey key = new SshKey();
                key.user = managed;
                key.label = "k" + i;
                key.keyType = "ssh-ed25519";
                key.bits = 256;
                key.publicKey = "ssh-ed25519 AAAA" + i;
                key.fingerprint = "SHA256:" + i;
                key.createdAt = now;
                key.persist();
                Infrastructure infrastructure = new Infrastructure();
                infrastructure.account = Account.findById(own);
                infrastructure.label = "infra-" + i;
                infrastructure.description = "";
                infrastructure.status = Infrastructure.Status.DRAFT;
                infrastructure.createdBy = managed;
                infrastructure.createdAt = now;
                infrastructure.persist();
            }
        });
    }
}
