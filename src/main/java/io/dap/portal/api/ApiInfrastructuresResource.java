package io.dap.portal.api;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Action;
import io.dap.portal.access.Ids;
import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.infrastructure.InfrastructureForms;
import io.dap.portal.infrastructure.InfrastructureService;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Problem;

/**
 * Infrastructures and drives of an account, under the same AccessPolicy and services as the pages:
 * unknown or invisible ids are 404 (R15), refused actions 403, deploy needs a billable owner (R7).
 */
@Path("/api/v1/accounts/{accountId}/infrastructures")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Infrastructures")
@SecurityRequirement(name = ApiAccountsResource.BEARER)
public class ApiInfrastructuresResource {

    @Inject
    AccessPolicy policy;

    @Inject
    InfrastructureService infrastructures;

    @Inject
    PortalConfig config;

    @GET
    @Operation(summary = "Infrastructures of the account", description = "Live infrastructures the token's creator"
            + " can see there, by label; page from 1, size up to " + Page.MAX_SIZE + ".")
    public ApiModel.PageOf<ApiModel.InfrastructureSummary> list(@PathParam("accountId") String accountId,
            @RestQuery String page, @RestQuery String size) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.VIEW_INFRASTRUCTURES);
        Paging paging = Paging.of(page, size, config.pageSize());
        Page<io.dap.portal.infrastructure.InfrastructureRow> found = infrastructures.page(access, "", paging.page(),
                paging.size());
        return ApiModel.PageOf.of(found, found.items().stream().map(ApiModel.InfrastructureSummary::of).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an infrastructure", description = "Owned by this account, whoever creates it (R7).")
    public Response create(@PathParam("accountId") String accountId, ApiModel.InfrastructureInput input) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.requireCreateInfrastructure(access);
        String label = InfrastructureForms.clean(input == null ? null : input.label());
        String description = InfrastructureForms.clean(input == null ? null : input.description());
        String department = InfrastructureForms.clean(input == null ? null : input.department());
        requireValid(InfrastructureForms.infrastructure(label, description, department));
        Infrastructure created = infrastructures.create(access, label, description,
                InfrastructureForms.department(department));
        return Response.created(URI.create("/api/v1" + access.infrastructuresPath() + "/"
                + created.id)).entity(view(access, created.id)).build();
    }

    @GET
    @Path("{infrastructureId}")
    @Operation(summary = "One infrastructure with its drives")
    public ApiModel.InfrastructureJson get(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId,
                Action.VIEW_INFRASTRUCTURE);
        return view(access, infrastructure.id);
    }

    @PUT
    @Path("{infrastructureId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change label, description and department", description = "department: \"\" for none;"
            + " left out or null, it stays as it is.")
    public ApiModel.InfrastructureJson update(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, ApiModel.InfrastructureInput input) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId,
                Action.EDIT_INFRASTRUCTURE);
        String label = InfrastructureForms.clean(input == null ? null : input.label());
        String description = InfrastructureForms.clean(input == null ? null : input.description());
        boolean keepDepartment = input == null || input.department() == null;
        String department = InfrastructureForms.clean(keepDepartment ? null : input.department());
        requireValid(InfrastructureForms.infrastructure(label, description, department));
        if (keepDepartment) {
            // Scripts written before the field existed must not wipe it.
            infrastructures.update(access, infrastructure.id, label, description);
        } else {
            infrastructures.update(access, infrastructure.id, label, description,
                    InfrastructureForms.department(department));
        }
        return view(access, infrastructure.id);
    }

    @DELETE
    @Path("{infrastructureId}")
    @Operation(summary = "Delete an infrastructure", description = "Its drives stop accruing usage; the history stays.")
    public Response delete(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId,
                Action.DELETE_INFRASTRUCTURE);
        infrastructures.delete(access, infrastructure.id);
        return Response.noContent().build();
    }

    @POST
    @Path("{infrastructureId}/deploy")
    @Operation(summary = "Deploy pending drives", description = "409 when the owner account is not billable (R7).")
    public ApiModel.DeployJson deploy(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireDeploy(access, infrastructureId);
        InfrastructureService.DeployResult result = infrastructures.deploy(access, infrastructure.id);
        if (result instanceof InfrastructureService.OwnerNotBillable refused) {
            throw new ApiException(Problem.of(409, refused.message()));
        }
        int provisioned = result instanceof InfrastructureService.Deployed deployed ? deployed.provisioned() : 0;
        return new ApiModel.DeployJson(provisioned, view(access, infrastructure.id));
    }

    @POST
    @Path("{infrastructureId}/drives")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a drive", description = "Provisioned on the next deploy.")
    public Response addDrive(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, ApiModel.DriveInput input) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId, Action.MANAGE_DRIVES);
        String label = InfrastructureForms.clean(input == null ? null : input.label());
        int size = validDrive(label, input);
        Drive drive = infrastructures.addDrive(access, infrastructure.id, label, size);
        ApiModel.InfrastructureJson view = view(access, infrastructure.id);
        return Response.created(URI.create("/api/v1" + access.infrastructuresPath() + "/" + infrastructure.id))
                .entity(view.drives().stream().filter(d -> d.id().equals(drive.id)).findFirst().orElseThrow())
                .build();
    }

    @PUT
    @Path("{infrastructureId}/drives/{driveId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a drive", description = "A running drive keeps its size (409 otherwise).")
    public ApiModel.DriveJson updateDrive(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("driveId") String driveId,
            ApiModel.DriveInput input) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId, Action.MANAGE_DRIVES);
        long id = Ids.parse(driveId);
        String label = InfrastructureForms.clean(input == null ? null : input.label());
        int size = validDrive(label, input);
        switch (infrastructures.updateDrive(access, infrastructure.id, id, label, size)) {
            case NOT_FOUND -> throw new NotFoundException();
            case RUNNING_SIZE_FIXED -> throw new ApiException(new Problem("about:blank", Problem.title(409), 409,
                    "A running drive keeps its size. Add a new drive instead.",
                    Map.of("sizeGb", "A running drive keeps its size.")));
            case SAVED -> {
            }
        }
        return view(access, infrastructure.id).drives().stream().filter(d -> d.id() == id).findFirst()
                .orElseThrow(NotFoundException::new);
    }

    @DELETE
    @Path("{infrastructureId}/drives/{driveId}")
    @Operation(summary = "Remove a drive", description = "Its usage stops now.")
    public Response removeDrive(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("driveId") String driveId) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId, Action.MANAGE_DRIVES);
        if (!infrastructures.removeDrive(access, infrastructure.id, Ids.parse(driveId))) {
            throw new NotFoundException();
        }
        return Response.noContent().build();
    }

    private ApiModel.InfrastructureJson view(AccountAccess access, Long infrastructureId) {
        return ApiModel.InfrastructureJson.of(infrastructures.view(access, infrastructureId));
    }

    /** The drive form's rules; its field names (driveLabel) become the API's (label). */
    private int validDrive(String label, ApiModel.DriveInput input) {
        FormErrors errors = new FormErrors();
        Integer size = InfrastructureForms.drive(label,
                input == null || input.sizeGb() == null ? "" : input.sizeGb().toString(), config.drives(), errors);
        Map<String, String> renamed = new HashMap<>();
        errors.fields().forEach((field, message) -> renamed.put("driveLabel".equals(field) ? "label" : field, message));
        if (!renamed.isEmpty()) {
            throw new ApiException(Problem.invalid(renamed));
        }
        return size;
    }

    private static void requireValid(FormErrors errors) {
        if (!errors.isEmpty()) {
            throw new ApiException(Problem.invalid(errors.fields()));
        }
    }
}
