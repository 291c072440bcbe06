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
import io.dap.portal.access.Action;
import io.dap.portal.access.Ids;
import io.dap.portal.access.Role;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.limit.LimitedAction;
import io.dap.portal.limit.Limits;
import io.dap.portal.sharing.GrantRow;
import io.dap.portal.sharing.InviteForm;
import io.dap.portal.sharing.DriveKeyCleanup;
import io.dap.portal.sharing.GrantLifecycle;
import io.dap.portal.sharing.GrantRows;
import io.dap.portal.sharing.GrantWords;
import io.dap.portal.sharing.Shared;
import io.dap.portal.web.Flash;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Redirects;
import io.dap.portal.web.TimeSource;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Infrastructure properties › Sharing: one infrastructure shared with one person (R4, R5), on the
 * same grants and invitations as account sharing. The owner and account Administrators share;
 * anyone else who can see the infrastructure sees the tab read-only, and their POSTs are refused.
 */
@Path("/accounts/{accountId}/infrastructures/{infrastructureId}/sharing")
@Produces(MediaType.TEXT_HTML)
public class InfrastructureSharingResource {

    static final List<AccountSharingResource.RoleOption> ROLES = List.of(
            new AccountSharingResource.RoleOption(Role.INFRASTRUCTURE_ADMINISTRATOR.name(), "Administrator",
                    "manages this infrastructure's drives and deploys it; cannot delete or share it"),
            new AccountSharingResource.RoleOption(Role.INFRASTRUCTURE_READ_ONLY.name(), "Read-only",
                    "sees this infrastructure, changes nothing"));

    public record Tab(Long id, String label, String path, boolean canShare) {

        public String inviteAction() {
            return path + "/sharing/invite";
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance sharing(AccountAccess access, Tab infrastructure, LabelFilter groups,
                Page<GrantRow> grants, String grantsPagerBase,
                Page<GrantRows.AccountDelegate> accountDelegates, String delegatesPagerBase,
                List<AccountSharingResource.RoleOption> roles, List<FormerKeys> formerKeys);

        static native TemplateInstance revoke(AccountAccess access, Tab infrastructure,
                GrantLifecycle.RevokePlan plan);

        static native TemplateInstance revokeGroup(AccountAccess access, String label, List<GrantRow> grants,
                String action, String back);
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

    @GET
    public TemplateInstance page(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @RestQuery @DefaultValue("1") String page,
            @RestQuery @DefaultValue("1") String delegates, @RestQuery String label) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId,
                Action.VIEW_INFRASTRUCTURE);
        Tab tab = tab(access, infrastructure);
        Shared shared = shared(access, infrastructure);
        String base = tab.path() + "/sharing";
        // Labels are the granting side's: only those who share the infrastructure filter by them.
        LabelFilter groups = tab.canShare() ? LabelFilter.of(grantRows.labels(shared), label, base)
                : LabelFilter.none(base);
        Page<GrantRow> grants = grantRows.slice(access.accountId(), Role.Scope.INFRASTRUCTURE, infrastructure.id,
                groups.selected(), base, Page.parseNumber(page), config.pageSize());
        Page<GrantRows.AccountDelegate> accountDelegates = grantRows.accountDelegates(access.accountId(),
                Page.parseNumber(delegates), config.pageSize());
        // Each pager keeps the other list's page and the chosen group.
        return Templates.sharing(access, tab, groups, grants,
                groups.pagerBase() + "delegates=" + accountDelegates.number() + "&", accountDelegates,
                groups.pagerBase() + "page=" + grants.number() + "&", ROLES,
                tab.canShare() ? FormerKeys.of(keyCleanup.formerKeys(shared, null, List.of()), tab.path() + "/sharing")
                        : List.of());
    }

    @POST
    @Path("invite")
    public Response invite(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @RestForm String email, @RestForm String role,
            @RestForm String label, @RestForm String until) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId,
                Action.SHARE_INFRASTRUCTURE);
        String back = tab(access, infrastructure).path() + "/sharing";
        InviteForm form = InviteForm.read(email, role, label, until,
                GrantWords.rolesFor(Role.Scope.INFRASTRUCTURE), time.now());
        if (!form.errors().isEmpty()) {
            flash.form(form.errors(), form.values());
            return Redirects.seeOther(back);
        }
        groupInvite.invite(access, Role.Scope.INFRASTRUCTURE, infrastructure.id, form, "to " + infrastructure.label);
        return Redirects.seeOther(back);
    }

    @POST
    @Path("{grantId}/resend")
    public Response resend(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("grantId") String grantId) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = sharer(access, infrastructureId);
        long id = Ids.parse(grantId);
        grantRows.find(shared(access, infrastructure), id, tab(access, infrastructure).path() + "/sharing")
                .ifPresent(grant -> limits.check(LimitedAction.INVITATION_RESEND, grant.email()));
        boolean done = lifecycle.resend(access, shared(access, infrastructure), id);
        return back(access, infrastructure, done, "A new invitation link was sent; the previous one no longer works.",
                "Only a pending invitation can be sent again.");
    }

    @POST
    @Path("{grantId}/cancel")
    public Response cancel(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("grantId") String grantId) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = sharer(access, infrastructureId);
        boolean done = lifecycle.cancel(access, shared(access, infrastructure), Ids.parse(grantId));
        return back(access, infrastructure, done, "Invitation cancelled; its link no longer works.",
                "That invitation is no longer pending.");
    }

    @POST
    @Path("{grantId}/role")
    public Response changeRole(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("grantId") String grantId,
            @RestForm String role) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = sharer(access, infrastructureId);
        Role chosen = role(role);
        boolean done = chosen != null
                && lifecycle.changeRole(access, shared(access, infrastructure), Ids.parse(grantId), chosen);
        return back(access, infrastructure, done, "Role changed. It applies from the next request.",
                "Nothing changed: choose a role for a delegate who still has access.");
    }

    @GET
    @Path("{grantId}/revoke")
    public TemplateInstance confirmRevoke(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("grantId") String grantId) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = sharer(access, infrastructureId);
        Tab tab = tab(access, infrastructure);
        return Templates.revoke(access, tab, lifecycle.planRevoke(access, shared(access, infrastructure),
                Ids.parse(grantId), tab.path() + "/sharing").orElseThrow(NotFoundException::new));
    }

    @POST
    @Path("{grantId}/revoke")
    public Response revoke(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("grantId") String grantId,
            @RestForm String removeKeys, @RestForm String endEvery) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = sharer(access, infrastructureId);
        GrantLifecycle.Revoked revoked = lifecycle.revoke(access, shared(access, infrastructure), Ids.parse(grantId),
                "on".equals(removeKeys), "on".equals(endEvery), false);
        RevokeMessages.flash(flash, revoked, "on".equals(removeKeys));
        return Redirects.seeOther(tab(access, infrastructure).path() + "/sharing");
    }

    /** "Revoke all with this label" on this infrastructure: its live grants of the group, for confirmation. */
    @GET
    @Path("groups/revoke")
    public TemplateInstance confirmRevokeGroup(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @RestQuery String label) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = sharer(access, infrastructureId);
        String base = tab(access, infrastructure).path() + "/sharing";
        Shared shared = shared(access, infrastructure);
        String group = label == null ? null : LabelFilter.chosen(grantRows.labels(shared), label);
        List<GrantRow> grants = group == null ? List.of() : grantRows.labelled(shared, group, base);
        if (grants.isEmpty()) {
            throw new NotFoundException();
        }
        return Templates.revokeGroup(access, group, grants, base + "/groups/revoke", base);
    }

    @POST
    @Path("groups/revoke")
    public Response revokeGroup(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @RestForm String label) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = sharer(access, infrastructureId);
        RevokeMessages.flash(flash, label == null ? new GrantLifecycle.Revoked(0, 0)
                : lifecycle.revokeLabelled(access, shared(access, infrastructure), label), false);
        return Redirects.seeOther(tab(access, infrastructure).path() + "/sharing");
    }

    @POST
    @Path("former-keys/{userId}/remove")
    public Response removeFormerKeys(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("userId") String userId) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = sharer(access, infrastructureId);
        int removed = keyCleanup.removeFormerKeys(access, shared(access, infrastructure), Ids.parse(userId));
        return back(access, infrastructure, true, removed == 0 ? "No key was left to remove."
                : "Removed " + removed + (removed == 1 ? " key from its drive." : " keys from their drives."), "");
    }

    private Infrastructure sharer(AccountAccess access, String infrastructureId) {
        return policy.requireInfrastructure(access, infrastructureId, Action.SHARE_INFRASTRUCTURE);
    }

    private Response back(AccountAccess access, Infrastructure infrastructure, boolean done, String success,
            String failure) {
        if (done) {
            flash.success(success);
        } else {
            flash.error(failure);
        }
        return Redirects.seeOther(tab(access, infrastructure).path() + "/sharing");
    }

    private static Tab tab(AccountAccess access, Infrastructure infrastructure) {
        return new Tab(infrastructure.id, infrastructure.label,
                access.infrastructuresPath() + "/" + infrastructure.id,
                access.can(Action.SHARE_INFRASTRUCTURE, infrastructure.id));
    }

    private static Shared shared(AccountAccess access, Infrastructure infrastructure) {
        return new Shared(access.accountId(), infrastructure.id);
    }

    static Role role(String raw) {
        return ROLES.stream().filter(r -> r.name().equals(raw)).findFirst().map(r -> Role.valueOf(r.name()))
                .orElse(null);
    }
}
