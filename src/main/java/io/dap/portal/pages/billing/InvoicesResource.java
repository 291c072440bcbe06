package io.dap.portal.pages.billing;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Action;
import io.dap.portal.access.Ids;
import io.dap.portal.billing.Invoice;
import io.dap.portal.billing.InvoiceService;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Account › Invoices: the monthly invoices of the account, each a printable page. */
@Path("/accounts/{accountId}/invoices")
@Produces(MediaType.TEXT_HTML)
public class InvoicesResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(AccountAccess access, Page<Invoice> invoices, String pagerBase);

        static native TemplateInstance invoice(AccountAccess access, InvoiceService.InvoiceView view);
    }

    @Inject
    AccessPolicy policy;

    @Inject
    InvoiceService invoices;

    @Inject
    PortalConfig config;

    /** The invoices issued so far; the scheduled job of InvoiceService issues them, a page only reads. */
    @GET
    public TemplateInstance list(@RestPath String accountId, @RestQuery @DefaultValue("1") String page) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.VIEW_INVOICES);
        Page<Invoice> rows = invoices.page(access.accountId(), Page.parseNumber(page), config.pageSize());
        return Templates.list(access, rows, access.path() + "/invoices?");
    }

    @GET
    @Path("{invoiceId}")
    public TemplateInstance invoice(@RestPath String accountId, @RestPath String invoiceId) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.VIEW_INVOICES);
        InvoiceService.InvoiceView view = invoices.find(access.accountId(), Ids.parse(invoiceId))
                .orElseThrow(NotFoundException::new);
        return Templates.invoice(access, view);
    }

    /** The same invoice as a PDF download, to the same people (R10, R15 as the page). */
    @GET
    @Path("{invoiceId}/pdf")
    @Produces("application/pdf")
    public Response pdf(@RestPath String accountId, @RestPath String invoiceId) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.VIEW_INVOICES);
        InvoiceService.InvoiceView view = invoices.find(access.accountId(), Ids.parse(invoiceId))
                .orElseThrow(NotFoundException::new);
        return Response.ok(InvoicePdf.render(view, access.accountName(), access.ownerEmail()), "application/pdf")
                .header("Content-Disposition", "attachment; filename=\"" + view.invoice().number() + ".pdf\"")
                .header("Cache-Control", "private, no-store").build();
    }
}
