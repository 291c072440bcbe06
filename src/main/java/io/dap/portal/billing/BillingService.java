package io.dap.portal.billing;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.NotFoundException;

import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Actor;
import io.dap.portal.account.Account;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.SingleLineText;

/**
 * Billing information of an account: billing name and address, and the payment method that makes
 * it billable (R7). Of a card only the holder, brand, last four digits and expiry are kept.
 */
@ApplicationScoped
public class BillingService {

    static final int MAX_NAME = 200;
    static final int MAX_ADDRESS = 1000;
    static final int MAX_HOLDER = 200;

    @Inject
    TimeSource time;

    @Inject
    AuditLog audit;

    /** What the billing page shows. */
    public record BillingView(Long accountId, String billingName, String billingAddress, String cardHolder,
            String cardBrand, String cardLast4, Integer cardExpMonth, Integer cardExpYear, boolean billable) {

        /** The address as typed, one entry per line (the page's CSP rules out inline styles for pre-line). */
        public List<String> addressLines() {
            return billingAddress == null ? List.of() : billingAddress.lines().toList();
        }

        public String addressAction() {
            return "/accounts/" + accountId + "/billing/address";
        }

        public String paymentMethodAction() {
            return "/accounts/" + accountId + "/billing/payment-method";
        }

        public String removeAction() {
            return "/accounts/" + accountId + "/billing/payment-method/remove";
        }

        public boolean hasPaymentMethod() {
            return cardLast4 != null;
        }

        public String expiry() {
            return cardExpMonth == null ? "" : String.format("%02d/%d", cardExpMonth, cardExpYear);
        }
    }

    /** A payment method as typed into the form. The number is only ever passed to {@link CardNumber}. */
    public record CardForm(String holder, String number, String expMonth, String expYear, String cvc) {

        @Override
        public String toString() {
            return "CardForm[holder=" + holder + "]";
        }
    }

    public YearMonth currentMonth() {
        return YearMonth.from(time.now().atZone(ZoneOffset.UTC));
    }

    @Transactional
    public BillingView view(Long accountId) {
        Account account = account(accountId);
        return new BillingView(account.id, account.billingName, account.billingAddress, account.cardHolder, account.cardBrand,
                account.cardLast4, account.cardExpMonth, account.cardExpYear, account.isBillable(currentMonth()));
    }

    /** Saves the billing name and address, or returns the errors per field and changes nothing. */
    @Transactional
    public FormErrors updateAddress(AccountAccess access, String name, String address) {
        FormErrors errors = new FormErrors();
        if (name.isEmpty()) {
            errors.add("billingName", "Enter the name invoices are made out to.");
        } else {
            SingleLineText.of(name, MAX_NAME).check(errors, "billingName");
        }
        if (address.isEmpty()) {
            errors.add("billingAddress", "Enter the billing address.");
        } else {
            SingleLineText.lines(address, MAX_ADDRESS).check(errors, "billingAddress");
        }
        if (!errors.isEmpty()) {
            return errors;
        }
        Account account = account(access.accountId());
        account.billingName = name;
        account.billingAddress = address;
        account.billingUpdatedAt = time.now();
        Actor actor = access.actor();
        audit.inAccount(account.id, actor.userId(), actor.email(), AuditAction.BILLING_UPDATED, Outcome.SUCCESS,
                "account " + account.id, "billing name and address");
        return errors;
    }

    /**
     * Puts a payment method on file, or returns the errors per field and changes nothing. The CVC
     * is asked for because people expect it, and checked for shape only: it is never stored, never
     * logged and never sent back to the browser (PCI DSS forbids keeping it), and neither is the
     * full number.
     */
    @Transactional
    public FormErrors savePaymentMethod(AccountAccess access, CardForm form) {
        FormErrors errors = new FormErrors();
        if (form.holder().isEmpty()) {
            errors.add("cardHolder", "Enter the name on the card.");
        } else {
            SingleLineText.of(form.holder(), MAX_HOLDER).check(errors, "cardHolder");
        }
        CardNumber.CardCheck card = CardNumber.check(form.number(), number(form.expMonth(), 0),
                number(form.expYear(), -1), currentMonth());
        card.errors().forEach((field, message) -> errors.add(switch (field) {
            case NUMBER -> "cardNumber";
            case EXP_MONTH -> "expMonth";
            case EXP_YEAR -> "expYear";
        }, message));
        if (form.cvc() == null || !form.cvc().strip().matches("[0-9]{3,4}")) {
            errors.add("cvc", "Enter the 3 or 4 digit security code from the card.");
        }
        if (!errors.isEmpty()) {
            return errors;
        }
        Account account = account(access.accountId());
        account.cardHolder = form.holder();
        account.cardBrand = card.brand();
        account.cardLast4 = card.last4();
        account.cardExpMonth = card.expMonth();
        account.cardExpYear = card.expYear();
        account.billingUpdatedAt = time.now();
        Actor actor = access.actor();
        audit.inAccount(account.id, actor.userId(), actor.email(), AuditAction.BILLING_UPDATED, Outcome.SUCCESS,
                "account " + account.id, "payment method: " + card.brand() + " ending " + card.last4());
        return errors;
    }

    /** Takes the payment method off file: the account stops being billable. False when there was none. */
    @Transactional
    public boolean removePaymentMethod(AccountAccess access) {
        Account account = account(access.accountId());
        if (!account.hasPaymentMethod()) {
            return false;
        }
        String removed = account.cardBrand + " ending " + account.cardLast4;
        account.cardHolder = null;
        account.cardBrand = null;
        account.cardLast4 = null;
        account.cardExpMonth = null;
        account.cardExpYear = null;
        account.billingUpdatedAt = time.now();
        Actor actor = access.actor();
        audit.inAccount(account.id, actor.userId(), actor.email(), AuditAction.PAYMENT_METHOD_REMOVED,
                Outcome.SUCCESS, "account " + account.id, "payment method: " + removed);
        return true;
    }

    private static Account account(Long accountId) {
        Account account = Account.findById(accountId);
        if (account == null) {
            throw new NotFoundException();
        }
        return account;
    }

    /** A number typed into a form, or the given fallback that CardNumber reports as invalid. */
    private static int number(String raw, int invalid) {
        if (raw == null || raw.isBlank() || raw.strip().length() > 4) {
            return invalid;
        }
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            return invalid;
        }
    }
}
