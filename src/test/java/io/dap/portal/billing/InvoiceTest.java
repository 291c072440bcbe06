package io.dap.portal.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.support.Browser;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.usage.UsageFixtures;
import io.dap.portal.usage.UsageService;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class InvoiceTest {

    @Inject
    Users users;

    @Inject
    InvoiceService invoices;

    @Inject
    UsageService usage;

    MutableClock clock;

    @BeforeEach
    void fixClock() {
        clock = new MutableClock(Instant.parse("2026-03-15T00:00:00Z"));
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
    }

    /** January and February usage in two infrastructures (one deleted), and a drive running since March. */
    Long accountWithUsage(User owner) {
        Long accountId = UsageFixtures.accountOf(owner);
        Instant created = Instant.parse("2025-12-01T00:00:00Z");
        Long web = UsageFixtures.infrastructure(accountId, owner, "Web", created);
        Long hadoop = UsageFixtures.infrastructure(accountId, owner, "Hadoop", created);
        UsageFixtures.drive(web, owner, "www", 100, Instant.parse("2026-01-31T12:00:00Z"),
                Instant.parse("2026-02-01T12:00:00Z"));
        UsageFixtures.drive(hadoop, owner, "hdfs", 10, Instant.parse("2026-02-10T00:00:00Z"),
                Instant.parse("2026-02-20T06:30:00Z"));
        UsageFixtures.deleteInfrastructure(hadoop, Instant.parse("2026-02-20T06:30:00Z"));
        UsageFixtures.drive(web, owner, "db", 1, Instant.parse("2026-03-01T00:00:00Z"), null);
        return accountId;
    }

    @Test
    void oneInvoicePerCompletedMonthWithUsageIssuedOnceWithTheReportsTotals() {
        User owner = users.active("invoice-once");
        Long accountId = accountWithUsage(owner);

        assertEquals(2, invoices.issueDue(accountId), "January and February; March is not over");
        assertEquals(0, invoices.issueDue(accountId), "issuing again changes nothing");
        List<Invoice> issued = invoicesOf(accountId);
        assertEquals(List.of("2026-02", "2026-01"), issued.stream().map(i -> i.period).toList());

        UsageService.Report report = usage.report(accountId, YearMonth.of(2026, 1), YearMonth.of(2026, 2));
        for (UsageService.Month month : report.months()) {
            Invoice invoice = issued.stream().filter(i -> i.period.equals(month.month().toString())).findFirst()
                    .orElseThrow();
            assertEquals(month.gbHours(), invoice.totalGbHours);
            assertEquals(month.cost(), invoice.totalAmount);
            assertEquals("EUR", invoice.currency);
            List<InvoiceLine> lines = QuarkusTransaction.requiringNew().call(() -> InvoiceLine.of(invoice.id));
            assertEquals(month.rows().stream().map(r -> List.of(r.infrastructureId().toString(), r.infrastructure(),
                    r.gbHours().toPlainString(), r.cost().toPlainString())).toList(),
                    lines.stream().map(l -> List.of(l.infrastructureId.toString(), l.infrastructureLabel,
                            l.gbHours.toPlainString(), l.amount.toPlainString())).toList());
        }
        assertEquals("3665.000", issued.get(0).totalGbHours.toPlainString());
        assertEquals("0.52", issued.get(0).totalAmount.toPlainString());
        assertEquals("1200.000", issued.get(1).totalGbHours.toPlainString());

        clock.advance(Duration.ofDays(17));
        assertEquals(1, invoices.issueDue(accountId), "March, once it is over");
        assertEquals(3, invoicesOf(accountId).size());
        long audited = QuarkusTransaction.requiringNew().call(() -> io.dap.portal.audit.AuditEvent.count(
                "accountId = ?1 and action = 'INVOICE_ISSUED'", accountId));
        assertEquals(3, audited);
    }

    @Test
    void aLostRaceIsANoOpNotAnError() throws Exception {
        User owner = users.active("invoice-race");
        Long accountId = accountWithUsage(owner);
        UsageService.Report report = usage.report(accountId, YearMonth.of(2026, 1), YearMonth.of(2026, 1));
        UsageService.Month january = report.months().get(0);

        assertTrue(invoices.issue(accountId, january, "EUR"));
        assertFalse(invoices.issue(accountId, january, "EUR"), "the unique constraint makes the second a no-op");
        assertEquals(1, invoicesOf(accountId).size());

        // Several instances running the job at once: one invoice per month, no failure.
        User other = users.active("invoice-race-2");
        Long otherAccount = accountWithUsage(other);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> invoices.issueDue(otherAccount));
            }
            int total = 0;
            for (Future<Integer> result : pool.invokeAll(calls)) {
                total += result.get();
            }
            assertEquals(2, total);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("2026-02", "2026-01"), invoicesOf(otherAccount).stream().map(i -> i.period).toList());
    }

    @Test
    void theListOnlyReadsWhatTheScheduledJobIssuedAndTheInvoicePageIsAPrintableSnapshot() {
        User owner = users.active("invoice-page");
        Long accountId = accountWithUsage(owner);
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        String base = "/accounts/" + accountId;
        browser.get(base + "/billing");
        browser.post(base + "/billing/address", "billingName", "Acme Corp", "billingAddress", "1 Main Street\nParis")
                .then().statusCode(303);

        String before = browser.get(base + "/invoices").then().statusCode(200).extract().asString();
        assertTrue(before.contains("No invoices yet"), "nothing issued before the job runs");
        assertEquals(0, invoicesOf(accountId).size(), "a GET writes nothing, not even what is due");

        invoices.onSchedule();
        String list = browser.get(base + "/invoices").then().statusCode(200).extract().asString();
        assertTrue(list.contains("February 2026") && list.contains("January 2026"));
        assertFalse(list.contains("March 2026"));
        assertEquals(2, invoicesOf(accountId).size());
        invoices.onSchedule();
        assertEquals(2, invoicesOf(accountId).size(), "running the job again issues nothing more");

        Invoice february = invoicesOf(accountId).get(0);
        browser.get(base + "/billing");
        browser.post(base + "/billing/address", "billingName", "New Name Ltd", "billingAddress", "Elsewhere")
                .then().statusCode(303);
        String page = browser.get(base + "/invoices/" + february.id).then().statusCode(200).extract().asString();
        assertTrue(page.contains("Acme Corp") && page.contains("1 Main Street<br>"), "billed to the snapshot");
        assertFalse(page.contains("New Name Ltd"));
        assertTrue(page.contains("Hadoop") && page.contains("Web"));
        assertTrue(page.contains("id=\"invoice-gb-hours\">3665.000<"));
        assertTrue(page.contains("id=\"invoice-total\">0.52 EUR<"));
        assertTrue(page.contains("Print"), "a print hint");
        // No script of its own: only the header menus' file (Escape closes them), which the page does not need.
        assertEquals(1, page.split("<script", -1).length - 1, "one script element");
        assertTrue(page.contains("<script src=\"/js/menus.js\" defer></script>"), "loaded from a file, not inline");
    }

    @Test
    void theListIsPaginated() {
        User owner = users.active("invoice-pages");
        Long accountId = UsageFixtures.accountOf(owner);
        Long infrastructure = UsageFixtures.infrastructure(accountId, owner, "Long runner",
                Instant.parse("2023-01-01T00:00:00Z"));
        UsageFixtures.drive(infrastructure, owner, "disk", 1, Instant.parse("2023-01-01T00:00:00Z"), null);
        invoices.issueDue(accountId);
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        String base = "/accounts/" + accountId + "/invoices";

        String first = browser.get(base).then().statusCode(200).extract().asString();
        assertEquals(38, invoicesOf(accountId).size(), "January 2023 to February 2026");
        assertTrue(first.contains("Page 1 of 2"));
        assertTrue(first.contains("February 2026"));
        String second = browser.get(base + "?page=2").then().statusCode(200).extract().asString();
        assertTrue(second.contains("Page 2 of 2") && second.contains("January 2023"));
        browser.get(base + "?page=abc").then().statusCode(200);
        browser.get(base + "?page=999").then().statusCode(200);
    }

    static List<Invoice> invoicesOf(Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> Invoice.ofAccount(accountId).list());
    }
}
