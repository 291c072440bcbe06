package io.dap.portal.api;

import java.net.URI;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
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
import io.dap.portal.access.Role;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.limit.LimitedAction;
import io.dap.portal.limit.Limits;
import io.dap.portal.sharing.GrantRow;
import io.dap.portal.sharing.InviteForm;
import io.dap.portal.sharing.GrantLifecycle;
import io.dap.portal.sharing.GrantRows;
import io.dap.portal.sharing.GrantWords;
import io.dap.portal.sharing.Shared;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Problem;
import io.dap.portal.web.TimeSource;

/**
 * One infrastructure's grants: anyone who sees the infrastructure reads them, as on its Sharing tab;
 * the owner and account Administrators invite and revoke (R5). Account sharing is not in the API.
 */
@Path("/api/v1/accounts/{accountId}/infrastructures/{infrastructureId}/grants")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Infrastructure sharing")
@SecurityRequirement(name = ApiAccountsResource.BEARER)
public class ApiGrantsResource {

    @Inject
    AccessPolicy policy;

    @Inject
    GrantRows grantRows;

    @Inject
    GrantLifecycle lifecycle;

    @Inject
    PortalConfig config;

    @Inject
    TimeSource time;

    @Inject
    Limits limits;

    @GET
    @Operation(summary = "Grants of the infrastructure", description = "Newest first, every status; page from 1.")
    public ApiModel.PageOf<ApiModel.GrantJson> list(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @RestQuery String page) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId,
                Action.VIEW_INFRASTRUCTURE);
        boolean canShare = access.can(Action.SHARE_INFRASTRUCTURE, infrastructure.id);
        Page<GrantRow> grants = grantRows.page(access.accountId(), Role.Scope.INFRASTRUCTURE, infrastructure.id, null,
                base(access, infrastructure), Page.parseNumber(page), config.pageSize());
        return ApiModel.PageOf.of(grants, grants.items().stream().map(g -> ApiModel.GrantJson.of(g, canShare))
                .toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Invite someone to this infrastructure",
            description = "role: INFRASTRUCTURE_ADMINISTRATOR or INFRASTRUCTURE_READ_ONLY; until: yyyy-mm-dd, optional."
                    + " The invitee accepts through the mailed link.")
    public Response invite(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, ApiModel.GrantInput input) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId,
                Action.SHARE_INFRASTRUCTURE);
        ApiModel.GrantInput body = input == null ? new ApiModel.GrantInput(null, null, null, null) : input;
        InviteForm form = InviteForm.read(body.email(), body.role(), body.label(), body.until(),
                GrantWords.rolesFor(Role.Scope.INFRASTRUCTURE), time.now());
        if (form.errors().isEmpty() && form.emails().size() > 1) {
            form.errors().add("email", "One address per invitation through the API.");
        }
        if (!form.errors().isEmpty()) {
            throw new ApiException(Problem.invalid(form.errors().fields()));
        }
        limits.check(LimitedAction.INVITE, form.email());
        GrantLifecycle.InviteResult result;
        try {
            result = lifecycle.invite(access, form.invite(Role.Scope.INFRASTRUCTURE, infrastructure.id, form.email()));
        } catch (PersistenceException e) {
            throw new ApiException(Problem.of(409, "That did not go through; try again."));
        }
        if (result instanceof GrantLifecycle.Refused refused) {
            throw new ApiException(Problem.invalid(Map.of(refused.field(), refused.message())));
        }
        Long grantId = ((GrantLifecycle.Invited) result).grant().id;
        GrantRow row = grantRows.find(shared(access, infrastructure), grantId, base(access, infrastructure))
                .orElseThrow(NotFoundException::new);
        return Response.created(URI.create(base(access, infrastructure) + "/" + grantId))
                .entity(ApiModel.GrantJson.of(row, true)).build();
    }

    @DELETE
    @Path("{grantId}")
    @Operation(summary = "Revoke a grant or cancel an invitation",
            description = "Ends with the delegate's next request. endEvery=true also ends every other grant the"
                    + " person holds in the account that the token's creator may end (R17); removeKeys=true also"
                    + " takes their SSH keys off the drives (R11). 409 when it had already ended.")
    public Response revoke(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("grantId") String grantId,
            @RestQuery String removeKeys, @RestQuery String endEvery) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId,
                Action.SHARE_INFRASTRUCTURE);
        long id = Ids.parse(grantId);
        Shared shared = shared(access, infrastructure);
        if (grantRows.find(shared, id, base(access, infrastructure)).isEmpty()) {
            throw new NotFoundException();
        }
        if (!lifecycle.revoke(access, shared, id, "true".equals(removeKeys), "true".equals(endEvery), false).any()) {
            throw new ApiException(Problem.of(409, "That delegate no longer had access; nothing changed."));
        }
        return Response.noContent().build();
    }

    private static String base(AccountAccess access, Infrastructure infrastructure) {
        return "/api/v1" + access.infrastructuresPath() + "/" + infrastructure.id + "/grants";
    }

    private static Shared shared(AccountAccess access, Infrastructure infrastructure) {
        return new Shared(access.accountId(), infrastructure.id);
    }
}
