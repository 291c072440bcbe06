package io.dap.portal.pages.sharing;

import java.util.List;

import jakarta.inject.Inject;
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

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Ids;
import io.dap.portal.access.Role;
import io.dap.portal.apitoken.ApiTokenService;
import io.dap.portal.impersonation.ImpersonationService;
import io.dap.portal.sharing.GrantRow;
import io.dap.portal.sharing.DriveKeyCleanup;
import io.dap.portal.sharing.GrantRows;
import io.dap.portal.sharing.Shared;
import io.dap.portal.sharing.TwoFactorRequirementService;
import io.dap.portal.sharing.WhoCanAct;
import io.dap.portal.web.Flash;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Account Settings › Account sharing: the owner's account delegates (R3, R5, R8, R9). */
@Path("/accounts/{accountId}/sharing")
@Produces(MediaType.TEXT_HTML)
public class AccountSharingResource {

    public record RoleOption(String name, String label, String description) {
    }

    static final List<RoleOption> ACCOUNT_ROLES = List.of(
            new RoleOption(Role.ACCOUNT_ADMINISTRATOR.name(), "Administrator",
                    "every right over all current and future infrastructures; no billing, no delegates"),
            new RoleOption(Role.ACCOUNT_BILLING.name(), "Billing",
                    "billing information, invoices and the utilization report; no infrastructure changes"),
            new RoleOption(Role.ACCOUNT_READ_ONLY.name(), "Read-only", "sees everything, changes nothing"));

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance sharing(AccountAccess access, Page<GrantRow> grants, List<RoleOption> roles,
                String inviteAction, String selectedRole, LabelFilter groups, List<FormerKeys> formerKeys,
                List<ImpersonationService.Current> impersonations, TwoFactorRequirementService.Panel twoFactor,
                String twoFactorPagerBase);

        static native TemplateInstance whoCanAct(AccountAccess access, Page<WhoCanAct.Person> people,
                String pagerBase);
    }

    @Inject
    AccessPolicy policy;

    @Inject
    GrantRows grantRows;

    @Inject
    DriveKeyCleanup keyCleanup;

    @Inject
    PortalConfig config;

    @Inject
    Flash flash;

    @Inject
    SharingFlow flow;

    @Inject
    ImpersonationService impersonations;

    @Inject
    WhoCanAct who;

    @Inject
    ApiTokenService tokens;

    @Inject
    TwoFactorRequirementService twoFactorRequirements;

    @GET
    public TemplateInstance page(@PathParam("accountId") String accountId,
            @RestQuery @DefaultValue("1") String page, @RestQuery @DefaultValue("1") String twoFactorPage,
            @RestQuery String label) {
        AccountAccess access = owner(accountId);
        String base = base(access);
        String role = flash.value("role");
        LabelFilter groups = LabelFilter.of(grantRows.labels(shared(access)), label, base);
        return Templates.sharing(access, grantRows.slice(access.accountId(), Role.Scope.ACCOUNT, null, groups.selected(),
                base, Page.parseNumber(page), config.pageSize()), ACCOUNT_ROLES, base + "/invite",
                role.isEmpty() ? Role.ACCOUNT_READ_ONLY.name() : role, groups,
                FormerKeys.of(keyCleanup.formerKeys(shared(access), null, List.of()), base),
                impersonations.current(access),
                twoFactorRequirements.panel(access, Page.parseNumber(twoFactorPage), config.pageSize()),
                groups.pagerBase() + "page=" + Page.parseNumber(page) + "&");
    }

    /** Every way into the account, person by person: grants, API tokens, impersonations. */
    @GET
    @Path("who-can-act")
    public TemplateInstance whoCanAct(@PathParam("accountId") String accountId,
            @RestQuery @DefaultValue("1") String page) {
        AccountAccess access = owner(accountId);
        String base = base(access) + "/who-can-act";
        return Templates.whoCanAct(access, who.page(access, Page.parseNumber(page), config.pageSize()), base + "?");
    }

    /** The owner revokes a delegate's API token that can act in the account; the delegate is told. */
    @POST
    @Path("who-can-act/tokens/{tokenId}/revoke")
    public Response revokeToken(@PathParam("accountId") String accountId, @PathParam("tokenId") String tokenId) {
        AccountAccess access = owner(accountId);
        ApiTokenService.Revocation result = tokens.revokeReaching(access, Ids.parse(tokenId));
        if (result == ApiTokenService.Revocation.NOT_FOUND) {
            throw new NotFoundException();
        }
        if (result == ApiTokenService.Revocation.REVOKED) {
            flash.success("Token revoked. Scripts using it stop with their next call; its owner was told.");
        } else {
            flash.info("That token had already stopped working.");
        }
        return Redirects.seeOther(base(access) + "/who-can-act");
    }

    /** R10: the owner ends an impersonation of their account; it stops on the delegate's next request. */
    @POST
    @Path("impersonations/{impersonationId}/end")
    public Response endImpersonation(@PathParam("accountId") String accountId,
            @PathParam("impersonationId") String impersonationId) {
        AccountAccess access = owner(accountId);
        if (impersonations.endByOwner(access, Ids.parse(impersonationId))) {
            flash.success("Impersonation ended. It stops with the delegate's next request.");
        } else {
            flash.info("That impersonation had already ended.");
        }
        return Redirects.seeOther(base(access));
    }

    @POST
    @Path("invite")
    public Response invite(@PathParam("accountId") String accountId, @RestForm String email, @RestForm String role,
            @RestForm String label, @RestForm String until) {
        return flow.invite(place(accountId), email, role, label, until);
    }

    @POST
    @Path("{grantId}/resend")
    public Response resend(@PathParam("accountId") String accountId, @PathParam("grantId") String grantId) {
        return flow.resend(place(accountId), grantId);
    }

    @POST
    @Path("{grantId}/cancel")
    public Response cancel(@PathParam("accountId") String accountId, @PathParam("grantId") String grantId) {
        return flow.cancel(place(accountId), grantId);
    }

    @POST
    @Path("{grantId}/role")
    public Response changeRole(@PathParam("accountId") String accountId, @PathParam("grantId") String grantId,
            @RestForm String role) {
        return flow.changeRole(place(accountId), grantId, role);
    }

    @GET
    @Path("{grantId}/revoke")
    public TemplateInstance confirmRevoke(@PathParam("accountId") String accountId,
            @PathParam("grantId") String grantId) {
        return flow.confirmRevoke(place(accountId), grantId);
    }

    @POST
    @Path("{grantId}/revoke")
    public Response revoke(@PathParam("accountId") String accountId, @PathParam("grantId") String grantId,
            @RestForm String removeKeys, @RestForm String endEvery, @RestForm String endGiven) {
        return flow.revoke(place(accountId), grantId, removeKeys, endEvery, endGiven);
    }

    @GET
    @Path("groups/revoke")
    public TemplateInstance confirmRevokeGroup(@PathParam("accountId") String accountId, @RestQuery String label) {
        return flow.confirmRevokeGroup(place(accountId), label);
    }

    @POST
    @Path("groups/revoke")
    public Response revokeGroup(@PathParam("accountId") String accountId, @RestForm String label) {
        return flow.revokeGroup(place(accountId), label);
    }

    @POST
    @Path("former-keys/{userId}/remove")
    public Response removeFormerKeys(@PathParam("accountId") String accountId, @PathParam("userId") String userId) {
        return flow.removeFormerKeys(place(accountId), userId);
    }

    /** Account sharing is the owner's (R5): anyone else gets the policy's 404 or 403. */
    private SharingFlow.Place place(String accountId) {
        AccountAccess access = owner(accountId);
        return new SharingFlow.Place(access, shared(access), base(access), "to your account", "in your account", "");
    }

    private static Shared shared(AccountAccess access) {
        return Shared.account(access.accountId());
    }

    private AccountAccess owner(String accountId) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.requireManageAccountSharing(access);
        return access;
    }

    private static String base(AccountAccess access) {
        return access.path() + "/sharing";
    }
}
