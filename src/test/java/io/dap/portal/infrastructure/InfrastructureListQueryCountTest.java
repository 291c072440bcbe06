package io.dap.portal.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** A page of the list costs the same number of SQL statements with 10 and with 1,000 infrastructures. */
@QuarkusTest
class InfrastructureListQueryCountTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    EntityManager entityManager;

    @Test
    void statementsPerPageDoNotGrowWithTheData() {
        User small = users.active("ten");
        User large = users.active("thousand");
        seed(accounts.accountOf(small), small, 10);
        seed(accounts.accountOf(large), large, 1000);
        Browser smallBrowser = new Browser().signIn(small.email, Users.PASSWORD);
        Browser largeBrowser = new Browser().signIn(large.email, Users.PASSWORD);

        long forTen = statementsFor(smallBrowser, "/accounts/" + accounts.accountOf(small) + "/infrastructures");
        long forThousand = statementsFor(largeBrowser, "/accounts/" + accounts.accountOf(large) + "/infrastructures");
        long lastPage = statementsFor(largeBrowser, "/accounts/" + accounts.accountOf(large)
                + "/infrastructures?page=40");
        assertEquals(forTen, forThousand);
        assertEquals(forTen, lastPage);
        // Session, account and grants, the page's count and rows, and the header's switch menu and badges.
        assertTrue(forTen > 0 && forTen <= 15, "a bounded handful of statements, got " + forTen);
    }

    private long statementsFor(Browser browser, String path) {
        Statistics statistics = entityManager.getEntityManagerFactory().unwrap(SessionFactory.class).getStatistics();
        statistics.setStatisticsEnabled(true);
        statistics.clear();
        String page = browser.get(path).then().statusCode(200).extract().asString();
        assertTrue(page.contains("node-"));
        return statistics.getPrepareStatementCount();
    }

    /** Bulk rows with two drives each, written in one transaction. */
    private void seed(Long accountId, User creator, int count) {
        QuarkusTransaction.requiringNew().run(() -> {
            var em = entityManager;
            Instant now = Instant.now();
            for (int i = 0; i < count; i++) {
                Infrastructure infrastructure = new Infrastructure();
                infrastructure.account = em.getReference(io.dap.portal.account.Account.class, accountId);
                infrastructure.label = String.format("node-%04d", i);
                infrastructure.description = "";
                infrastructure.status = Infrastructure.Status.DRAFT;
                infrastructure.createdBy = em.getReference(User.class, creator.id);
                infrastructure.createdAt = now;
                em.persist(infrastructure);
                for (int j = 0; j < 2; j++) {
                    Drive drive = new Drive();
                    drive.infrastructure = infrastructure;
                    drive.label = "d" + j;
                    drive.sizeGb = 10;
                    drive.status = Drive.Status.PENDING;
                    drive.createdAt = now;
                    em.persist(drive);
                }
            }
        });
    }
}
