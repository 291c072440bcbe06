package io.dap.portal.pages.infrastructure;

import java.util.List;
import java.util.Objects;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Action;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.infrastructure.InfrastructureForms;
import io.dap.portal.infrastructure.InfrastructureRow;
import io.dap.portal.infrastructure.InfrastructureService;
import io.dap.portal.infrastructure.InfrastructureView;
import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The infrastructures of the acting account: list, create, editor, properties, delete and deploy. */
@Path("/accounts/{accountId}/infrastructures")
@Produces(MediaType.TEXT_HTML)
public class InfrastructureResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(AccountAccess access, Page<InfrastructureRow> infrastructures,
                String search, String pagerBase);

        static native TemplateInstance create(AccountAccess access, List<String> knownDepartments);

        static native TemplateInstance editor(AccountAccess access, InfrastructureView infrastructure,
                boolean ownerBillable, int minSizeGb, int maxSizeGb);

        /** {@code name}, not label: inside the form tag, label is the form's own accessible name. */
        static native TemplateInstance properties(AccountAccess access, InfrastructureView infrastructure,
                String name, String description, String department, List<String> knownDepartments);

        static native TemplateInstance delete(AccountAccess access, InfrastructureView infrastructure);
    }

    @Inject
    AccessPolicy policy;

    @Inject
    InfrastructureService infrastructures;

    @Inject
    PortalConfig config;

    @Inject
    Flash flash;

    @GET
    public TemplateInstance list(@PathParam("accountId") String accountId, @RestQuery String q,
            @RestQuery @DefaultValue("1") String page) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.VIEW_INFRASTRUCTURES);
        String search = q == null ? "" : q.strip();
        if (search.length() > InfrastructureForms.MAX_LABEL) {
            search = search.substring(0, InfrastructureForms.MAX_LABEL);
        }
        Page<InfrastructureRow> rows = infrastructures.slice(access, search, Page.parseNumber(page), config.pageSize());
        String pagerBase = access.path() + "/infrastructures?"
                + (search.isEmpty() ? "" : "q=" + java.net.URLEncoder.encode(search, java.nio.charset.StandardCharsets.UTF_8) + "&");
        return Templates.list(access, rows, search, pagerBase);
    }

    @GET
    @Path("new")
    public TemplateInstance createForm(@PathParam("accountId") String accountId) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.requireCreateInfrastructure(access);
        return Templates.create(access, infrastructures.departments(access));
    }

    @POST
    public Response create(@PathParam("accountId") String accountId, @RestForm String label,
            @RestForm String description, @RestForm String department) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.requireCreateInfrastructure(access);
        String cleanLabel = InfrastructureForms.clean(label);
        String cleanDescription = InfrastructureForms.clean(description);
        String cleanDepartment = InfrastructureForms.clean(department);
        FormErrors errors = InfrastructureForms.infrastructure(cleanLabel, cleanDescription, cleanDepartment);
        if (!errors.isEmpty()) {
            flash.form(errors, InfrastructureForms.values("label", cleanLabel, "description", cleanDescription,
                    "department", cleanDepartment));
            return Redirects.seeOther(access.path() + "/infrastructures/new");
        }
        Infrastructure created = infrastructures.create(access, cleanLabel, cleanDescription,
                InfrastructureForms.department(cleanDepartment));
        flash.success("Infrastructure " + created.label + " created. Add drives, then deploy it.");
        return Redirects.seeOther(access.path() + "/infrastructures/" + created.id);
    }

    @GET
    @Path("{infrastructureId}")
    public TemplateInstance editor(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId,
                Action.VIEW_INFRASTRUCTURE);
        return Templates.editor(access, infrastructures.view(access, infrastructure.id),
                infrastructures.ownerBillable(access), config.drives().minSizeGb(), config.drives().maxSizeGb());
    }

    @GET
    @Path("{infrastructureId}/properties")
    public TemplateInstance properties(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId,
                Action.VIEW_INFRASTRUCTURE);
        InfrastructureView view = infrastructures.view(access, infrastructure.id);
        // After a refused save the form shows what was typed, so nothing typed is lost.
        boolean refill = !flash.fieldErrors().isEmpty();
        return Templates.properties(access, view, refill ? flash.value("label") : view.label(),
                refill ? flash.value("description") : view.description(),
                refill ? flash.value("department") : Objects.requireNonNullElse(view.department(), ""),
                access.canEditInfrastructure(infrastructure.id) ? infrastructures.departments(access) : List.of());
    }

    @POST
    @Path("{infrastructureId}/properties")
    public Response update(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @RestForm String label,
            @RestForm String description, @RestForm String department) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId,
                Action.EDIT_INFRASTRUCTURE);
        String cleanLabel = InfrastructureForms.clean(label);
        String cleanDescription = InfrastructureForms.clean(description);
        String cleanDepartment = InfrastructureForms.clean(department);
        FormErrors errors = InfrastructureForms.infrastructure(cleanLabel, cleanDescription, cleanDepartment);
        String back = access.path() + "/infrastructures/" + infrastructure.id + "/properties";
        if (!errors.isEmpty()) {
            flash.form(errors, InfrastructureForms.values("label", cleanLabel, "description", cleanDescription,
                    "department", cleanDepartment));
            return Redirects.seeOther(back);
        }
        if (department == null) {
            // A form from before the field existed (a tab left open) sends none: the department stays.
            infrastructures.update(access, infrastructure.id, cleanLabel, cleanDescription);
        } else {
            infrastructures.update(access, infrastructure.id, cleanLabel, cleanDescription,
                    InfrastructureForms.department(cleanDepartment));
        }
        flash.success("Properties saved.");
        return Redirects.seeOther(back);
    }

    @GET
    @Path("{infrastructureId}/delete")
    public TemplateInstance confirmDelete(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId,
                Action.DELETE_INFRASTRUCTURE);
        return Templates.delete(access, infrastructures.view(access, infrastructure.id));
    }

    @POST
    @Path("{infrastructureId}/delete")
    public Response delete(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId,
                Action.DELETE_INFRASTRUCTURE);
        infrastructures.delete(access, infrastructure.id);
        flash.success("Infrastructure " + infrastructure.label + " deleted. Its usage history is kept.");
        return Redirects.seeOther(access.path() + "/infrastructures");
    }

    @POST
    @Path("{infrastructureId}/deploy")
    public Response deploy(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireDeploy(access, infrastructureId);
        InfrastructureService.DeployResult result = infrastructures.deploy(access, infrastructure.id);
        if (result instanceof InfrastructureService.OwnerNotBillable refused) {
            flash.error(refused.message());
        } else if (result instanceof InfrastructureService.Deployed deployed) {
            flash.success("Deployed: " + deployed.provisioned()
                    + (deployed.provisioned() == 1 ? " drive provisioned." : " drives provisioned."));
        } else {
            flash.info("Nothing to deploy: every drive is already provisioned.");
        }
        return Redirects.seeOther(access.path() + "/infrastructures/" + infrastructure.id);
    }
}
