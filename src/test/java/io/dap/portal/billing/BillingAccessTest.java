package io.dap.portal.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.account.Account;
import io.dap.portal.support.Browser;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.usage.UsageFixtures;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/** R15: someone else's billing, usage and invoices are not found, exactly like missing ones, and stay as they were. */
@QuarkusTest
class BillingAccessTest {

    @Inject
    Users users;

    @Inject
    InvoiceService invoices;

    @Test
    void aStrangerGets404OnEveryBillingUsageAndInvoiceUrlAndChangesNothing() {
        MutableClock clock = new MutableClock(Instant.parse("2026-02-15T00:00:00Z"));
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        User owner = users.active("victim");
        Long accountId = UsageFixtures.accountOf(owner);
        Long infrastructure = UsageFixtures.infrastructure(accountId, owner, "Web",
                Instant.parse("2026-01-01T00:00:00Z"));
        UsageFixtures.drive(infrastructure, owner, "www", 100, Instant.parse("2026-01-10T00:00:00Z"), null);
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        String base = "/accounts/" + accountId;
        ownerBrowser.get(base + "/billing");
        ownerBrowser.post(base + "/billing/address", "billingName", "Victim Inc", "billingAddress", "Here")
                .then().statusCode(303);
        ownerBrowser.post(base + "/billing/payment-method", BillingTest.card("Victim", BillingTest.NUMBER, "7",
                "2030", BillingTest.CVC)).then().statusCode(303);
        assertEquals(1, invoices.issueDue(accountId));
        Long invoiceId = InvoiceTest.invoicesOf(accountId).get(0).id;
        // February is now due but not issued: a stranger's visit to the list must not issue it.
        clock.advance(Duration.ofDays(20));
        String before = snapshot(accountId);

        User strangerUser = users.active("stranger");
        Long strangerAccount = UsageFixtures.accountOf(strangerUser);
        Browser stranger = new Browser().signIn(strangerUser.email, Users.PASSWORD);
        stranger.get("/accounts/" + strangerAccount + "/billing").then().statusCode(200);

        for (String path : List.of(base + "/billing", base + "/usage", base + "/usage.csv",
                base + "/usage?from=2026-01&to=2026-03", base + "/invoices", base + "/invoices/" + invoiceId)) {
            stranger.get(path).then().statusCode(404);
        }
        stranger.post(base + "/billing/address", "billingName", "Hijacked", "billingAddress", "There")
                .then().statusCode(404);
        stranger.post(base + "/billing/payment-method", BillingTest.card("Thief", "5555 5555 5555 4444", "1", "2031",
                "123")).then().statusCode(404);
        stranger.post(base + "/billing/payment-method/remove", Map.of()).then().statusCode(404);

        // Forged ids: the invoice of another account under one's own, missing, negative, zero, huge, not a number.
        String own = "/accounts/" + strangerAccount;
        for (String forged : List.of(invoiceId.toString(), "999999999", "-1", "0", String.valueOf(Long.MAX_VALUE),
                "abc", "1e3", "%20")) {
            stranger.get(own + "/invoices/" + forged).then().statusCode(404);
        }
        for (String forgedAccount : List.of("999999999", "-1", "0", String.valueOf(Long.MAX_VALUE), "abc",
                "99999999999999999999")) {
            String path = "/accounts/" + forgedAccount;
            for (String page : List.of("/billing", "/usage", "/usage.csv", "/invoices", "/invoices/" + invoiceId)) {
                stranger.get(path + page).then().statusCode(404);
            }
            stranger.post(path + "/billing/payment-method/remove", Map.of()).then().statusCode(404);
            stranger.post(path + "/billing/address", "billingName", "Hijacked", "billingAddress", "There")
                    .then().statusCode(404);
        }

        assertEquals(before, snapshot(accountId), "no row of the victim changed");
        new Browser().signIn(owner.email, Users.PASSWORD).get(base + "/invoices").then().statusCode(200);
        assertEquals(1, InvoiceTest.invoicesOf(accountId).size(), "not even the owner's visit issues: a GET reads");
        assertEquals(1, invoices.issueDue(accountId), "February was due: the job issues it");
    }

    /** The victim's billing columns and invoices, as one comparable string. */
    private static String snapshot(Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Account a = Account.findById(accountId);
            String account = String.join("|", a.billingName, a.billingAddress, a.cardHolder, a.cardBrand,
                    a.cardLast4, String.valueOf(a.cardExpMonth), String.valueOf(a.cardExpYear),
                    String.valueOf(a.billingUpdatedAt));
            List<String> issued = Invoice.ofAccount(accountId).<Invoice>list().stream()
                    .map(i -> i.id + ":" + i.period + ":" + i.totalAmount + ":" + i.billingName).toList();
            return account + " " + issued;
        });
    }
}
