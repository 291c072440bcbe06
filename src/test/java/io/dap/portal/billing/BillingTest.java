package io.dap.portal.billing;

import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.account.Account;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.support.Browser;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.usage.UsageFixtures;
import io.dap.portal.user.User;
import io.dap.portal.web.Flash;
import io.dap.portal.web.TimeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class BillingTest {

    static final Instant NOW = Instant.parse("2026-03-15T00:00:00Z");
    static final YearMonth THIS_MONTH = YearMonth.of(2026, 3);
    static final String NUMBER = "4111 1111 1111 1111";
    static final String DIGITS = "4111111111111111";
    static final String CVC = "9876";

    @Inject
    Users users;

    @Inject
    EntityManager entityManager;

    @BeforeEach
    void fixClock() {
        QuarkusMock.installMockForType(new TimeSource(new MutableClock(NOW)), TimeSource.class);
    }

    record Owner(User user, Long accountId, Browser browser) {
        String billing() {
            return "/accounts/" + accountId + "/billing";
        }
    }

    Owner owner(String prefix) {
        User user = users.active(prefix);
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        Owner owner = new Owner(user, UsageFixtures.accountOf(user), browser);
        browser.get(owner.billing()).then().statusCode(200);
        return owner;
    }

    static Map<String, String> card(String holder, String number, String month, String year, String cvc) {
        return Browser.fields("cardHolder", holder, "cardNumber", number, "expMonth", month, "expYear", year,
                "cvc", cvc);
    }

    @Test
    void aValidCardIsKeptAsBrandLastFourAndExpiryAndMakesTheAccountBillable() {
        Owner owner = owner("card-ok");
        String before = owner.browser().get(owner.billing()).asString();
        assertTrue(before.contains("Add a payment method to deploy"));

        Response saved = owner.browser().post(owner.billing() + "/payment-method",
                card("Ada Lovelace", NUMBER, "7", "2030", CVC));
        saved.then().statusCode(303).header("Location", endsWith(owner.billing()));
        String page = owner.browser().follow(saved).then().statusCode(200).extract().asString();
        assertTrue(page.contains("The payment method was saved."));
        assertTrue(page.contains("Visa •••• 1111, expires 07/2030"), page);
        assertTrue(page.contains("Ada Lovelace"));
        assertTrue(page.contains("Deploys are allowed"));

        Account account = account(owner.accountId());
        assertEquals("Visa", account.cardBrand);
        assertEquals("1111", account.cardLast4);
        assertEquals(7, account.cardExpMonth);
        assertEquals(2030, account.cardExpYear);
        assertEquals("Ada Lovelace", account.cardHolder);
        assertTrue(account.isBillable(THIS_MONTH));
    }

    @Test
    void theFullNumberAndTheCvcReachNeitherTheDatabaseNorTheAuditTrailNorTheFlashCookie() {
        Owner owner = owner("card-secret");
        owner.browser().post(owner.billing() + "/payment-method", card("Grace Hopper", NUMBER, "12", "2031", CVC))
                .then().statusCode(303);
        // A refused attempt too: its values travel back to the form through the flash cookie.
        Response refused = owner.browser().post(owner.billing() + "/payment-method",
                card("Grace Hopper", NUMBER, "13", "2031", CVC));
        String flash = new String(Base64.getUrlDecoder().decode(refused.getCookie(Flash.COOKIE)),
                StandardCharsets.UTF_8);
        assertTrue(flash.contains("Grace Hopper"), flash);
        assertNoSecret(flash);

        String row = billingRow(owner.accountId());
        assertTrue(row.contains("1111") && row.contains("Grace Hopper"), row);
        assertNoSecret(row);
        List<AuditEvent> events = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "accountId = ?1 or userId = ?2", owner.accountId(), owner.user().id));
        assertTrue(events.stream().anyMatch(e -> e.action.equals("BILLING_UPDATED")));
        for (AuditEvent event : events) {
            assertNoSecret(event.target + " " + event.detail);
        }
        long anywhere = QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "detail like ?1 or target like ?1", "%" + DIGITS + "%"));
        assertEquals(0, anywhere);

        String page = owner.browser().get(owner.billing()).asString();
        assertFalse(page.contains(DIGITS) || page.contains(NUMBER), "the number is not refilled");
        assertFalse(page.contains("value=\"" + CVC + "\""), "the CVC is not refilled");
    }

    @Test
    void aCardFailingTheLuhnCheckIsRefusedWithAMessageAndNothingIsStored() {
        Owner owner = owner("card-luhn");
        Response refused = owner.browser().post(owner.billing() + "/payment-method",
                card("Ada Lovelace", "4111 1111 1111 1112", "7", "2030", CVC));
        refused.then().statusCode(303).header("Location", endsWith(owner.billing()));
        String page = owner.browser().follow(refused).asString();
        assertTrue(page.contains("The card number is not valid; please check it for typos."));
        assertTrue(page.contains("id=\"f-cardNumber\" name=\"cardNumber\" type=\"text\" value=\"\""), "number not refilled");
        assertTrue(page.contains("value=\"Ada Lovelace\""), "holder refilled");
        assertTrue(page.contains("id=\"f-expYear\" name=\"expYear\" type=\"text\" value=\"2030\""), "year refilled");
        assertTrue(page.contains("id=\"f-cvc\" name=\"cvc\" type=\"text\" value=\"\""), "CVC not refilled");
        assertNothingStored(owner);
    }

    @Test
    void anExpiredCardIsRefused() {
        Owner owner = owner("card-expired");
        String lastMonth = owner.browser().follow(owner.browser().post(owner.billing() + "/payment-method",
                card("Ada Lovelace", NUMBER, "2", "2026", CVC))).asString();
        assertTrue(lastMonth.contains("The card has expired."));
        String lastYear = owner.browser().follow(owner.browser().post(owner.billing() + "/payment-method",
                card("Ada Lovelace", NUMBER, "12", "25", CVC))).asString();
        assertTrue(lastYear.contains("The card has expired."));
        assertNothingStored(owner);

        // Valid through the end of its expiry month.
        owner.browser().post(owner.billing() + "/payment-method", card("Ada Lovelace", NUMBER, "3", "2026", CVC))
                .then().statusCode(303);
        assertTrue(account(owner.accountId()).isBillable(THIS_MONTH));
        assertFalse(account(owner.accountId()).isBillable(THIS_MONTH.plusMonths(1)));
    }

    @Test
    void aBadMonthAMissingHolderAndABadCvcAreReportedPerField() {
        Owner owner = owner("card-fields");
        for (String month : List.of("13", "0", "ab", "")) {
            String page = owner.browser().follow(owner.browser().post(owner.billing() + "/payment-method",
                    card("Ada Lovelace", NUMBER, month, "2030", CVC))).asString();
            assertTrue(page.contains("Enter an expiry month between 1 and 12."), month);
            assertTrue(page.contains("aria-invalid=\"true\" aria-describedby=\"f-expMonth-error f-expMonth-hint\""), month);
        }
        String page = owner.browser().follow(owner.browser().post(owner.billing() + "/payment-method",
                card("  ", NUMBER, "7", "twenty", "12"))).asString();
        assertTrue(page.contains("Enter the name on the card."));
        assertTrue(page.contains("Enter a valid expiry year."));
        assertTrue(page.contains("Enter the 3 or 4 digit security code from the card."));
        assertTrue(page.contains("Please correct the highlighted fields."));
        assertNothingStored(owner);
    }

    @Test
    void removingThePaymentMethodMakesTheAccountNotBillable() {
        Owner owner = owner("card-remove");
        owner.browser().post(owner.billing() + "/payment-method", card("Ada Lovelace", NUMBER, "7", "2030", CVC))
                .then().statusCode(303);
        String page = owner.browser().get(owner.billing()).asString();
        assertTrue(page.contains("Remove payment method"), "a confirmation step");
        assertTrue(account(owner.accountId()).isBillable(THIS_MONTH));

        Response removed = owner.browser().post(owner.billing() + "/payment-method/remove", Map.of());
        removed.then().statusCode(303).header("Location", endsWith(owner.billing()));
        String after = owner.browser().follow(removed).asString();
        assertTrue(after.contains("The payment method was removed."));
        assertTrue(after.contains("Add a payment method to deploy"));
        assertFalse(after.contains("•••• 1111"));

        Account account = account(owner.accountId());
        assertFalse(account.isBillable(THIS_MONTH));
        assertFalse(account.hasPaymentMethod());
        assertNull(account.cardHolder);
        assertNull(account.cardBrand);
        long removals = QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "accountId = ?1 and action = 'PAYMENT_METHOD_REMOVED'", owner.accountId()));
        assertEquals(1, removals);

        Response again = owner.browser().post(owner.billing() + "/payment-method/remove", Map.of());
        assertTrue(owner.browser().follow(again).asString().contains("There was no payment method on file."));
    }

    @Test
    void theBillingNameAndAddressAreSavedOrRefusedPerField() {
        Owner owner = owner("address");
        Response refused = owner.browser().post(owner.billing() + "/address", "billingName", "",
                "billingAddress", "x".repeat(1001));
        String page = owner.browser().follow(refused).asString();
        assertTrue(page.contains("Enter the name invoices are made out to."));
        assertTrue(page.contains("Use at most 1000 characters."));
        assertNull(account(owner.accountId()).billingName);

        Response saved = owner.browser().post(owner.billing() + "/address", "billingName", " Acme Corp ",
                "billingAddress", "1 Main Street\n75001 Paris <France>");
        saved.then().statusCode(303).header("Location", endsWith(owner.billing()));
        String shown = owner.browser().follow(saved).asString();
        assertTrue(shown.contains("The billing name and address were saved."));
        assertTrue(shown.contains("1 Main Street<br>75001 Paris &lt;France&gt;"), "lines kept, markup escaped");
        Account account = account(owner.accountId());
        assertEquals("Acme Corp", account.billingName);
        assertEquals("1 Main Street\n75001 Paris <France>", account.billingAddress);
    }

    private void assertNothingStored(Owner owner) {
        Account account = account(owner.accountId());
        assertFalse(account.hasPaymentMethod());
        assertNull(account.cardHolder);
        assertNull(account.cardBrand);
        assertNull(account.billingUpdatedAt);
        long changes = QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "accountId = ?1 and action = 'BILLING_UPDATED'", owner.accountId()));
        assertEquals(0, changes);
    }

    private static void assertNoSecret(String text) {
        String compact = text.replaceAll("[^0-9]", "");
        assertFalse(compact.contains(DIGITS), "full number in: " + text);
        assertFalse(text.contains(NUMBER), "full number in: " + text);
        assertFalse(text.contains(CVC), "CVC in: " + text);
    }

    static Account account(Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> Account.<Account>findById(accountId));
    }

    /** Every billing column of the row, as the database holds it. */
    private String billingRow(Long accountId) {
        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) entityManager.createNativeQuery(
                "select billing_name, billing_address, card_holder, card_brand, card_last4, card_exp_month,"
                        + " card_exp_year from account where id = ?1").setParameter(1, accountId).getSingleResult());
        return Arrays.toString(row);
    }
}
