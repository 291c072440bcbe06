package io.dap.portal.operator;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.dap.portal.access.Actor;
import io.dap.portal.access.Ids;
import io.dap.portal.pages.audit.AccountAuditResource;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.impersonation.ImpersonationService;
import io.dap.portal.sharing.WhoCanAct;
import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * An account in the operator console (R21): its owner, whether it is billable, its infrastructures,
 * every delegation (account and infrastructure grants, pending invitations, who gave them, end
 * dates — the owner's "Who can act here", read-only), the impersonations going on (which an
 * operator may end), and its audit log with the owner's filters and CSV.
 */
@Path("/operator/accounts/{accountId}")
@Produces(MediaType.TEXT_HTML)
public class OperatorAccountResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance account(Actor operator, ConsoleQueries.AccountSummary account,
                Page<ConsoleQueries.InfrastructureLine> infrastructures, Page<WhoCanAct.Person> people,
                List<ImpersonationService.Current> impersonations, PageNumbers pages, int reasonMaxLength);

        static native TemplateInstance audit(Actor operator, ConsoleQueries.AccountSummary account,
                Page<AuditEvent> events, AccountAuditResource.Filter filter, List<AuditAction> actions,
                String pagerBase, String csvPath);
    }

    @Inject
    OperatorPolicy policy;

    @Inject
    ConsoleQueries queries;

    @Inject
    WhoCanAct who;

    @Inject
    ImpersonationService impersonations;

    @Inject
    OperatorService operators;

    @Inject
    PortalConfig config;

    @Inject
    Flash flash;

    @GET
    public TemplateInstance page(@PathParam("accountId") String accountId,
            @RestQuery @DefaultValue("1") String infrastructures, @RestQuery @DefaultValue("1") String people) {
        Actor operator = policy.requireOperator();
        ConsoleQueries.AccountSummary account = account(accountId);
        PageNumbers pages = new PageNumbers(account.path()).with("infrastructures", infrastructures)
                .with("people", people);
        int size = config.pageSize();
        return Templates.account(operator, account,
                queries.infrastructures(account.id(), pages.of("infrastructures"), size),
                who.page(account.id(), account.path(), pages.of("people"), size),
                impersonations.current(account.id(), account.path() + "/impersonations/"), pages,
                OperatorService.REASON_MAX_LENGTH);
    }

    /** The account's log, exactly as its owner reads it (same filters, same CSV). */
    @GET
    @Path("audit")
    @Transactional
    public TemplateInstance audit(@PathParam("accountId") String accountId, @RestQuery String user,
            @RestQuery String action, @RestQuery String from, @RestQuery String to,
            @RestQuery @DefaultValue("1") String page) {
        Actor operator = policy.requireOperator();
        ConsoleQueries.AccountSummary account = account(accountId);
        AccountAuditResource.Filter filter = AccountAuditResource.filter(user, action, from, to);
        return Templates.audit(operator, account, Page.of(AccountAuditResource.query(account.id(), filter),
                Page.parseNumber(page), config.pageSize()), filter, List.of(AuditAction.values()),
                account.path() + "/audit?" + filter.query(), account.path() + "/audit.csv?" + filter.query());
    }

    @GET
    @Path("audit.csv")
    @Produces("text/csv")
    @Transactional
    public Response auditCsv(@PathParam("accountId") String accountId, @RestQuery String user,
            @RestQuery String action, @RestQuery String from, @RestQuery String to) {
        policy.requireOperator();
        ConsoleQueries.AccountSummary account = account(accountId);
        return AccountAuditResource.csv(AccountAuditResource.query(account.id(),
                AccountAuditResource.filter(user, action, from, to)), "audit-account-" + account.id(), true);
    }

    /** Ends an impersonation going on in the account; both people are told. */
    @POST
    @Path("impersonations/{impersonationId}/end")
    public Response endImpersonation(@PathParam("accountId") String accountId,
            @PathParam("impersonationId") String impersonationId, @RestForm String reason) {
        Actor operator = policy.requireOperator();
        ConsoleQueries.AccountSummary account = account(accountId);
        long impersonation = Ids.parse(impersonationId);
        FormErrors errors = new FormErrors();
        String why = OperatorService.reason(reason, errors);
        if (!errors.isEmpty()) {
            flash.error(errors.fields().get("reason"));
            return Redirects.seeOther(account.path());
        }
        OperatorService.Result result = operators.endImpersonation(operator, account.id(), impersonation, why);
        if (result.status() == OperatorService.Status.DONE) {
            flash.success(result.message());
        } else {
            flash.info(result.message());
        }
        return Redirects.seeOther(account.path());
    }

    private ConsoleQueries.AccountSummary account(String rawId) {
        return queries.account(Ids.parse(rawId)).orElseThrow(NotFoundException::new);
    }
}
