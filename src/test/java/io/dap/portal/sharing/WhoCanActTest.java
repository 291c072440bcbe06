package io.dap.portal.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Account sharing › Who can act here: the owner sees every way into the account — account and
 * infrastructure delegates, pending invitations, and each API token that can act there — and can
 * revoke such a token; nobody else sees the page, and no secret is ever on it.
 */
@QuarkusTest
class WhoCanActTest {

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
    void theOwnerSeesEveryWayInAndRevokesADelegatesToken() {
        User owner = users.active("who-owner");
        Long account = accounts.accountOf(owner);
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        Infrastructure x = accounts.infrastructure(account, owner, "Who X");
        User admin = users.active("who-admin");
        Browser adminBrowser = new Browser().signIn(admin.email, Users.PASSWORD);
        grants.share(ownerBrowser, account, adminBrowser, admin, Role.ACCOUNT_ADMINISTRATOR);
        User delegate = users.active("who-delegate");
        grants.shareInfrastructure(ownerBrowser, account, x.id, new Browser().signIn(delegate.email, Users.PASSWORD),
                delegate, Role.INFRASTRUCTURE_READ_ONLY);
        String pending = Users.uniqueEmail("who-pending");
        grants.invite(ownerBrowser, account, pending, Role.ACCOUNT_READ_ONLY, null);

        String adminGlobal = api.global(admin);
        String delegateRestricted = api.direct(delegate, ApiToken.Scope.RESTRICTED, account,
                time.now().plusSeconds(86_400));
        String delegateElsewhere = api.direct(delegate, ApiToken.Scope.RESTRICTED, accounts.accountOf(delegate),
                time.now().plusSeconds(86_400));

        String page = ownerBrowser.get("/accounts/" + account + "/sharing/who-can-act").then().statusCode(200)
                .extract().asString();
        for (String email : new String[] { admin.email, delegate.email, pending }) {
            assertTrue(page.contains(email), email);
        }
        assertTrue(page.contains(nameOf(adminGlobal)) && page.contains(nameOf(delegateRestricted)));
        assertFalse(page.contains(nameOf(delegateElsewhere)), "a token that cannot act here is not listed");
        for (String secret : new String[] { adminGlobal, delegateRestricted, delegateElsewhere }) {
            assertFalse(page.contains(secret.substring(10)), "never a secret");
        }
        assertTrue(page.contains("Who X"), "the infrastructure grant shows where it applies");

        // Nobody else sees that the page exists (R15).
        assertEquals(404, adminBrowser.get("/accounts/" + account + "/sharing/who-can-act").statusCode());
        assertEquals(404, adminBrowser.post("/accounts/" + account + "/sharing/who-can-act/tokens/"
                + idOf(delegateRestricted) + "/revoke").statusCode());
        // A token that does not reach the account cannot be revoked from it.
        assertEquals(404, ownerBrowser.post("/accounts/" + account + "/sharing/who-can-act/tokens/"
                + idOf(delegateElsewhere) + "/revoke").statusCode());
        ApiFixtures.api(delegateElsewhere).get("/api/v1/accounts").then().statusCode(200);

        ApiFixtures.api(delegateRestricted).get("/api/v1/accounts/" + account + "/infrastructures").then()
                .statusCode(200);
        assertEquals(303, ownerBrowser.post("/accounts/" + account + "/sharing/who-can-act/tokens/"
                + idOf(delegateRestricted) + "/revoke").statusCode());
        ApiFixtures.api(delegateRestricted).get("/api/v1/accounts/" + account + "/infrastructures").then()
                .statusCode(401);
        assertTrue(mailbox.deliverAndRead(delegate.email).stream().anyMatch(m -> m.getSubject().contains("was revoked")
                && m.getText().contains(nameOf(delegateRestricted))), "the delegate is told which token");
        assertFalse(ownerBrowser.get("/accounts/" + account + "/sharing/who-can-act").asString()
                .contains(nameOf(delegateRestricted)), "a revoked token is gone from the list");
    }

    @Test
    void aPageCostsTheSameStatementsForOnePersonAndForThirty() {
        User small = users.active("who-small");
        User large = users.active("who-large");
        Long smallAccount = accounts.accountOf(small);
        Long largeAccount = accounts.accountOf(large);
        seed(smallAccount, 1);
        seed(largeAccount, 30);
        long one = statementsFor(new Browser().signIn(small.email, Users.PASSWORD), smallAccount, "");
        Browser largeBrowser = new Browser().signIn(large.email, Users.PASSWORD);
        long thirty = statementsFor(largeBrowser, largeAccount, "");
        long secondPage = statementsFor(largeBrowser, largeAccount, "?page=2");
        assertEquals(one, thirty);
        assertEquals(one, secondPage);
    }

    /** People with a Read-only grant and a Restricted token each. */
    private void seed(Long accountId, int people) {
        for (int i = 0; i < people; i++) {
            User user = users.active("who-seed");
            grants.direct(accountId, user, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
            api.direct(user, ApiToken.Scope.RESTRICTED, accountId, time.now().plusSeconds(86_400));
        }
    }

    private long statementsFor(Browser browser, Long accountId, String query) {
        Statistics statistics = entityManager.getEntityManagerFactory().unwrap(SessionFactory.class).getStatistics();
        statistics.setStatisticsEnabled(true);
        statistics.clear();
        String page = browser.get("/accounts/" + accountId + "/sharing/who-can-act" + query).then().statusCode(200)
                .extract().asString();
        assertTrue(page.contains("fixture "), "tokens are listed");
        return statistics.getPrepareStatementCount();
    }

    private static String nameOf(String secret) {
        return QuarkusTransaction.requiringNew().call(() -> ApiToken.<ApiToken>find("tokenHash",
                Tokens.sha256(secret)).firstResult().name);
    }

    private static Long idOf(String secret) {
        return QuarkusTransaction.requiringNew().call(() -> ApiToken.<ApiToken>find("tokenHash",
                Tokens.sha256(secret)).firstResult().id);
    }
}
