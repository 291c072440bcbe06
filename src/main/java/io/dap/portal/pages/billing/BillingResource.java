package io.dap.portal.pages.billing;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Action;
import io.dap.portal.billing.BillingService;
import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.Redirects;
import io.dap.portal.web.SingleLineText;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Account › Billing: billing name and address, and the payment method that makes the account billable. */
@Path("/accounts/{accountId}/billing")
@Produces(MediaType.TEXT_HTML)
public class BillingResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance billing(AccountAccess access, BillingService.BillingView billing,
                String billingName, String billingAddress);
    }

    @Inject
    AccessPolicy policy;

    @Inject
    BillingService billing;

    @Inject
    Flash flash;

    @GET
    public TemplateInstance page(@RestPath String accountId) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.VIEW_BILLING);
        BillingService.BillingView view = billing.view(access.accountId());
        String name = flash.value("billingName");
        String address = flash.value("billingAddress");
        return Templates.billing(access, view, name.isEmpty() ? orEmpty(view.billingName()) : name,
                address.isEmpty() ? orEmpty(view.billingAddress()) : address);
    }

    @POST
    @Path("address")
    public Response updateAddress(@RestPath String accountId, @RestForm String billingName,
            @RestForm String billingAddress) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.MANAGE_BILLING);
        String name = SingleLineText.of(billingName, Integer.MAX_VALUE).value();
        String address = SingleLineText.lines(billingAddress, Integer.MAX_VALUE).value();
        FormErrors errors = billing.updateAddress(access, name, address);
        if (!errors.isEmpty()) {
            flash.form(errors, Map.of("billingName", name, "billingAddress", address));
        } else {
            flash.success("The billing name and address were saved. Future invoices use them.");
        }
        return Redirects.seeOther(pagePath(access));
    }

    /**
     * The card number and CVC are handed to the service for checking and then dropped: they are never
     * stored, logged, put in the audit trail or refilled into the form through the flash cookie.
     */
    @POST
    @Path("payment-method")
    public Response savePaymentMethod(@RestPath String accountId, @RestForm String cardHolder,
            @RestForm String cardNumber, @RestForm String expMonth, @RestForm String expYear, @RestForm String cvc) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.MANAGE_BILLING);
        BillingService.CardForm form = new BillingService.CardForm(
                SingleLineText.of(cardHolder, Integer.MAX_VALUE).value(), cardNumber, strip(expMonth),
                strip(expYear), cvc);
        FormErrors errors = billing.savePaymentMethod(access, form);
        if (!errors.isEmpty()) {
            flash.form(errors, Map.of("cardHolder", form.holder(), "expMonth", form.expMonth(),
                    "expYear", form.expYear()));
        } else {
            flash.success("The payment method was saved. Deploys are allowed.");
        }
        return Redirects.seeOther(pagePath(access));
    }

    @POST
    @Path("payment-method/remove")
    public Response removePaymentMethod(@RestPath String accountId) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.MANAGE_BILLING);
        if (billing.removePaymentMethod(access)) {
            flash.success("The payment method was removed. Deploys are refused until a new one is added.");
        } else {
            flash.info("There was no payment method on file.");
        }
        return Redirects.seeOther(pagePath(access));
    }

    private static String pagePath(AccountAccess access) {
        return access.path() + "/billing";
    }

    private static String strip(String value) {
        return value == null ? "" : value.strip();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
