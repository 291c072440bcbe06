package io.dap.portal.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.usage.UsageFixtures;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Each invoice downloads as a PDF with exactly the figures of its HTML page, for exactly the same people. */
@QuarkusTest
class InvoicePdfTest {

    @Inject
    Users users;

    @Inject
    Grants grants;

    @Inject
    InvoiceService invoices;

    @BeforeEach
    void fixClock() {
        QuarkusMock.installMockForType(new TimeSource(new MutableClock(Instant.parse("2026-03-15T00:00:00Z"))),
                TimeSource.class);
    }

    @Test
    void thePdfCarriesTheSameNumbersAsTheHtmlInvoice() throws Exception {
        User owner = users.active("pdf-owner");
        Long account = UsageFixtures.accountOf(owner);
        Long web = UsageFixtures.infrastructure(account, owner, "Web", Instant.parse("2025-12-01T00:00:00Z"));
        Long erp = UsageFixtures.infrastructure(account, owner, "ERP", Instant.parse("2025-12-01T00:00:00Z"));
        UsageFixtures.drive(web, owner, "web-1", 50, Instant.parse("2026-02-01T00:00:00Z"), null);
        UsageFixtures.drive(web, owner, "assets", 200, Instant.parse("2026-02-03T00:00:00Z"), null);
        UsageFixtures.drive(erp, owner, "erp-db", 500, Instant.parse("2026-02-10T06:00:00Z"), null);
        assertEquals(1, invoices.issueDue(account));
        Long invoiceId = QuarkusTransaction.requiringNew().call(() -> Invoice.<Invoice>find("account.id", account)
                .firstResult().id);
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        String path = "/accounts/" + account + "/invoices/" + invoiceId;

        String html = browser.get(path).then().statusCode(200).extract().asString();
        assertTrue(html.contains(path + "/pdf"), "the page links its PDF");
        Response pdf = browser.get(path + "/pdf");
        assertEquals(200, pdf.statusCode());
        assertEquals("application/pdf", pdf.contentType());
        assertTrue(pdf.header("Content-Disposition").startsWith("attachment; filename=\"INV-202602-"));
        byte[] bytes = pdf.asByteArray();
        assertEquals("%PDF", new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        String text = new PdfTextExtractor(new PdfReader(bytes)).getTextFromPage(1);

        List<String> numbers = numbersOf(html);
        assertTrue(numbers.size() >= 6, "lines and totals on the page: " + numbers);
        for (String number : numbers) {
            assertTrue(text.contains(number), "the PDF shows " + number + " like the page; PDF text: " + text);
        }
        for (String words : List.of("Invoice INV-202602-" + invoiceId, "web-1 (50 GB)", "erp-db (500 GB)", "February 2026",
                "EUR", "Total")) {
            assertTrue(text.contains(words), words + " in: " + text);
            assertTrue(html.contains(words), words + " on the page");
        }
    }

    @Test
    void theOwnerBillingDelegatesAndNobodyElseGetIt() {
        User owner = users.active("pdf-access-owner");
        Long account = UsageFixtures.accountOf(owner);
        Long web = UsageFixtures.infrastructure(account, owner, "Web", Instant.parse("2025-12-01T00:00:00Z"));
        UsageFixtures.drive(web, owner, "web-1", 50, Instant.parse("2026-02-01T00:00:00Z"), null);
        invoices.issueDue(account);
        Long invoiceId = QuarkusTransaction.requiringNew().call(() -> Invoice.<Invoice>find("account.id", account)
                .firstResult().id);
        String pdf = "/accounts/" + account + "/invoices/" + invoiceId + "/pdf";

        User billing = users.active("pdf-billing");
        grants.direct(account, billing, Role.ACCOUNT_BILLING, Grant.Status.ACCEPTED, null);
        User reader = users.active("pdf-reader");
        grants.direct(account, reader, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
        User revoked = users.active("pdf-revoked");
        grants.direct(account, revoked, Role.ACCOUNT_BILLING, Grant.Status.REVOKED, null);
        User stranger = users.active("pdf-stranger");

        assertEquals(200, new Browser().signIn(owner.email, Users.PASSWORD).get(pdf).statusCode());
        assertEquals(200, new Browser().signIn(billing.email, Users.PASSWORD).get(pdf).statusCode());
        assertEquals(403, new Browser().signIn(reader.email, Users.PASSWORD).get(pdf).statusCode(),
                "a delegate who sees the account but not its invoices, as on the invoice page (R15)");
        assertEquals(404, new Browser().signIn(revoked.email, Users.PASSWORD).get(pdf).statusCode());
        assertEquals(404, new Browser().signIn(stranger.email, Users.PASSWORD).get(pdf).statusCode());
        // Another account's invoice id through one's own account is simply not found.
        Long strangerAccount = UsageFixtures.accountOf(stranger);
        assertEquals(404, new Browser().signIn(stranger.email, Users.PASSWORD)
                .get("/accounts/" + strangerAccount + "/invoices/" + invoiceId + "/pdf").statusCode());
        assertEquals(404, new Browser().signIn(owner.email, Users.PASSWORD)
                .get("/accounts/" + account + "/invoices/x/pdf").statusCode());
    }

    /** The figures of the invoice table: every "123.456" or "0.52" in a numeric cell. */
    private static List<String> numbersOf(String html) {
        List<String> numbers = new ArrayList<>();
        Matcher cells = Pattern.compile("<td class=\"num\"[^>]*>([0-9]+\\.[0-9]+)").matcher(html);
        while (cells.find()) {
            numbers.add(cells.group(1));
        }
        return numbers;
    }
}
