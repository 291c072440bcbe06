package io.dap.portal.pages.infrastructure;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Action;
import io.dap.portal.access.Ids;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.infrastructure.InfrastructureForms;
import io.dap.portal.infrastructure.InfrastructureService;
import io.dap.portal.infrastructure.InfrastructureView;
import io.dap.portal.sshkey.DriveKey;
import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Drives of one infrastructure: add, change, remove, and the drive page with its SSH keys. */
@Path("/accounts/{accountId}/infrastructures/{infrastructureId}/drives")
@Produces(MediaType.TEXT_HTML)
public class DriveResource {

    public record KeyRow(String fingerprint, String label, String keyType, String ownerName, String ownerEmail,
            Instant installedAt, Instant removedAt, String removedByName) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance drive(AccountAccess access, InfrastructureView infrastructure,
                InfrastructureView.DriveRow drive, List<KeyRow> keys);
    }

    @Inject
    AccessPolicy policy;

    @Inject
    InfrastructureService infrastructures;

    @Inject
    PortalConfig config;

    @Inject
    Flash flash;

    @POST
    public Response add(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @RestForm String driveLabel,
            @RestForm String sizeGb) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId, Action.MANAGE_DRIVES);
        String label = InfrastructureForms.clean(driveLabel);
        FormErrors errors = new FormErrors();
        Integer size = InfrastructureForms.drive(label, sizeGb, config.drives(), errors);
        String back = access.path() + "/infrastructures/" + infrastructure.id;
        if (!errors.isEmpty()) {
            flash.form(errors, InfrastructureForms.values("driveLabel", label, "sizeGb", sizeGb));
            return Redirects.seeOther(back);
        }
        infrastructures.addDrive(access, infrastructure.id, label, size);
        flash.success("Drive " + label + " added. It is provisioned on the next deploy.");
        return Redirects.seeOther(back);
    }

    @GET
    @Path("{driveId}")
    @Transactional
    public TemplateInstance show(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("driveId") String driveId) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId,
                Action.VIEW_INFRASTRUCTURE);
        InfrastructureView view = infrastructures.view(access, infrastructure.id);
        long id = Ids.parse(driveId);
        InfrastructureView.DriveRow drive = view.drives().stream().filter(d -> d.id() == id).findFirst()
                .orElseThrow(NotFoundException::new);
        List<KeyRow> keys = DriveKey.ofDrive(id).stream().map(k -> new KeyRow(k.fingerprint, k.label, k.keyType,
                k.user.displayName, k.user.email, k.installedAt, k.removedAt,
                k.removedBy == null ? null : k.removedBy.displayName)).toList();
        return Templates.drive(access, view, drive, keys);
    }

    @POST
    @Path("{driveId}")
    public Response update(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("driveId") String driveId,
            @RestForm String driveLabel, @RestForm String sizeGb) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId, Action.MANAGE_DRIVES);
        long id = Ids.parse(driveId);
        String label = InfrastructureForms.clean(driveLabel);
        FormErrors errors = new FormErrors();
        Integer size = InfrastructureForms.drive(label, sizeGb, config.drives(), errors);
        String back = access.path() + "/infrastructures/" + infrastructure.id;
        if (!errors.isEmpty()) {
            flash.form(errors, InfrastructureForms.values("driveLabel", label, "sizeGb", sizeGb));
            flash.error("The drive was not changed: " + errors.fields().values().iterator().next());
            return Redirects.seeOther(back);
        }
        switch (infrastructures.updateDrive(access, infrastructure.id, id, label, size)) {
            case NOT_FOUND -> throw new NotFoundException();
            case RUNNING_SIZE_FIXED -> flash.error("A running drive keeps its size. Add a new drive instead.");
            case SAVED -> flash.success("Drive " + label + " saved.");
        }
        return Redirects.seeOther(back);
    }

    @POST
    @Path("{driveId}/delete")
    public Response remove(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("driveId") String driveId) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId, Action.MANAGE_DRIVES);
        if (!infrastructures.removeDrive(access, infrastructure.id, Ids.parse(driveId))) {
            throw new NotFoundException();
        }
        flash.success("Drive removed. Its usage stops now.");
        return Redirects.seeOther(access.path() + "/infrastructures/" + infrastructure.id);
    }
}
