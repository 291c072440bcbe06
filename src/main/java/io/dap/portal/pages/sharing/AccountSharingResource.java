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
import io.dap.portal.limit.LimitedAction;
import io.dap.portal.limit.Limits;
import io.dap.portal.sharing.GrantRow;
import io.dap.portal.sharing.InviteForm;
import io.dap.portal.sharing.DriveKeyCleanup;
import io.dap.portal.sharing.GrantLifecycle;
import io.dap.portal.sharing.GrantRows;
import io.dap.portal.sharing.GrantWords;
import io.dap.portal.sharing.Shared;
import io.dap.portal.sharing.TwoFactorRequirementService;
import io.dap.portal.sharing.WhoCanAct;
import io.dap.portal.web.Flash;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Redirects;
import io.dap.portal.web.TimeSource;
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

        static native TemplateInstance revoke(AccountAccess access, GrantLifecycle.RevokePlan plan);

        static native TemplateInstance revokeGroup(AccountAccess access, String label, List<GrantRow> grants,
                String action, String back);

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
    GrantLifecycle lifecycle;

    @Inject
    PortalConfig config;

    @Inject
    TimeSource time;

    @Inject
    Flash flash;

    @Inject
    Limits limits;

    @Inject
    GroupInvite groupInvite;

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
        AccountAccess access = owner(accountId);
        InviteForm form = InviteForm.read(email, role, label, until, GrantWords.rolesFor(Role.Scope.ACCOUNT),
                time.now());
        String back = base(access);
        if (!form.errors().isEmpty()) {
            flash.form(form.errors(), form.values());
            return Redirects.seeOther(back);
        }
        groupInvite.invite(access, Role.Scope.ACCOUNT, null, form, "to your account");
        return Redirects.seeOther(back);
    }

    @POST
    @Path("{grantId}/resend")
    public Response resend(@PathParam("accountId") String accountId, @PathParam("grantId") String grantId) {
        AccountAccess access = owner(accountId);
        long id = Ids.parse(grantId);
        grantRows.find(shared(access), id, base(access))
                .ifPresent(grant -> limits.check(LimitedAction.INVITATION_RESEND, grant.email()));
        if (!lifecycle.resend(access, shared(access), id)) {
            flash.error("Only a pending invitation can be sent again.");
        } else {
            flash.success("A new invitation link was sent; the previous one no longer works.");
        }
        return Redirects.seeOther(base(access));
    }

    @POST
    @Path("{grantId}/cancel")
    public Response cancel(@PathParam("accountId") String accountId, @PathParam("grantId") String grantId) {
        AccountAccess access = owner(accountId);
        if (lifecycle.cancel(access, shared(access), Ids.parse(grantId))) {
            flash.success("Invitation cancelled; its link no longer works.");
        } else {
            flash.error("That invitation is no longer pending.");
        }
        return Redirects.seeOther(base(access));
    }

    @POST
    @Path("{grantId}/role")
    public Response changeRole(@PathParam("accountId") String accountId, @PathParam("grantId") String grantId,
            @RestForm String role) {
        AccountAccess access = owner(accountId);
        Role chosen = accountRole(role);
        if (chosen == null) {
            flash.error("Choose a role.");
        } else if (lifecycle.changeRole(access, shared(access), Ids.parse(grantId), chosen)) {
            flash.success("Role changed to " + chosen.label() + ". It applies from the next request.");
        } else {
            flash.error("That delegate no longer has access; nothing changed.");
        }
        return Redirects.seeOther(base(access));
    }

    @GET
    @Path("{grantId}/revoke")
    public TemplateInstance confirmRevoke(@PathParam("accountId") String accountId,
            @PathParam("grantId") String grantId) {
        AccountAccess access = owner(accountId);
        return Templates.revoke(access, lifecycle.planRevoke(access, shared(access), Ids.parse(grantId), base(access))
                .orElseThrow(NotFoundException::new));
    }

    @POST
    @Path("{grantId}/revoke")
    public Response revoke(@PathParam("accountId") String accountId, @PathParam("grantId") String grantId,
            @RestForm String removeKeys, @RestForm String endEvery, @RestForm String endGiven) {
        AccountAccess access = owner(accountId);
        GrantLifecycle.Revoked revoked = lifecycle.revoke(access, shared(access), Ids.parse(grantId),
                "on".equals(removeKeys), "on".equals(endEvery), "on".equals(endGiven));
        RevokeMessages.flash(flash, revoked, "on".equals(removeKeys));
        return Redirects.seeOther(base(access));
    }

    /** "Revoke all with this label": the access group's live grants, listed for confirmation. */
    @GET
    @Path("groups/revoke")
    public TemplateInstance confirmRevokeGroup(@PathParam("accountId") String accountId, @RestQuery String label) {
        AccountAccess access = owner(accountId);
        String group = label == null ? null : LabelFilter.chosen(grantRows.labels(shared(access)), label);
        List<GrantRow> grants = group == null ? List.of() : grantRows.labelled(shared(access), group, base(access));
        if (grants.isEmpty()) {
            throw new NotFoundException();
        }
        return Templates.revokeGroup(access, group, grants, base(access) + "/groups/revoke", base(access));
    }

    @POST
    @Path("groups/revoke")
    public Response revokeGroup(@PathParam("accountId") String accountId, @RestForm String label) {
        AccountAccess access = owner(accountId);
        RevokeMessages.flash(flash, label == null ? new GrantLifecycle.Revoked(0, 0)
                : lifecycle.revokeLabelled(access, shared(access), label), false);
        return Redirects.seeOther(base(access));
    }

    /** The standing warning's action: take a former delegate's keys off the drives (R11). */
    @POST
    @Path("former-keys/{userId}/remove")
    public Response removeFormerKeys(@PathParam("accountId") String accountId, @PathParam("userId") String userId) {
        AccountAccess access = owner(accountId);
        int removed = keyCleanup.removeFormerKeys(access, shared(access), Ids.parse(userId));
        flash.success(removed == 0 ? "No key was left to remove."
                : "Removed " + removed + (removed == 1 ? " key from its drive." : " keys from their drives."));
        return Redirects.seeOther(base(access));
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

    static Role accountRole(String raw) {
        return ACCOUNT_ROLES.stream().filter(r -> r.name().equals(raw)).findFirst().map(r -> Role.valueOf(r.name()))
                .orElse(null);
    }
}
