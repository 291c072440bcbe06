package io.dap.portal.pages.sharing;

import java.util.List;

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
import io.dap.portal.access.Role;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.sharing.GrantRow;
import io.dap.portal.sharing.DriveKeyCleanup;
import io.dap.portal.sharing.GrantRows;
import io.dap.portal.sharing.Shared;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
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
    SharingFlow flow;

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
        return flow.invite(place(accountId, infrastructureId), email, role, label, until);
    }

    @POST
    @Path("{grantId}/resend")
    public Response resend(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("grantId") String grantId) {
        return flow.resend(place(accountId, infrastructureId), grantId);
    }

    @POST
    @Path("{grantId}/cancel")
    public Response cancel(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("grantId") String grantId) {
        return flow.cancel(place(accountId, infrastructureId), grantId);
    }

    @POST
    @Path("{grantId}/role")
    public Response changeRole(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("grantId") String grantId,
            @RestForm String role) {
        return flow.changeRole(place(accountId, infrastructureId), grantId, role);
    }

    @GET
    @Path("{grantId}/revoke")
    public TemplateInstance confirmRevoke(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("grantId") String grantId) {
        return flow.confirmRevoke(place(accountId, infrastructureId), grantId);
    }

    @POST
    @Path("{grantId}/revoke")
    public Response revoke(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("grantId") String grantId,
            @RestForm String removeKeys, @RestForm String endEvery, @RestForm String endGiven) {
        return flow.revoke(place(accountId, infrastructureId), grantId, removeKeys, endEvery, endGiven);
    }

    @GET
    @Path("groups/revoke")
    public TemplateInstance confirmRevokeGroup(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @RestQuery String label) {
        return flow.confirmRevokeGroup(place(accountId, infrastructureId), label);
    }

    @POST
    @Path("groups/revoke")
    public Response revokeGroup(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @RestForm String label) {
        return flow.revokeGroup(place(accountId, infrastructureId), label);
    }

    @POST
    @Path("former-keys/{userId}/remove")
    public Response removeFormerKeys(@PathParam("accountId") String accountId,
            @PathParam("infrastructureId") String infrastructureId, @PathParam("userId") String userId) {
        return flow.removeFormerKeys(place(accountId, infrastructureId), userId);
    }

    /** Those who may share this infrastructure act on its tab (R3); anyone else gets the policy's 404 or 403. */
    private SharingFlow.Place place(String accountId, String infrastructureId) {
        AccountAccess access = policy.requireAccount(accountId);
        Infrastructure infrastructure = policy.requireInfrastructure(access, infrastructureId,
                Action.SHARE_INFRASTRUCTURE);
        return new SharingFlow.Place(access, shared(access, infrastructure), tab(access, infrastructure).path()
                + "/sharing", "to " + infrastructure.label, infrastructure.label + " (this infrastructure)",
                " from " + infrastructure.label);
    }

    private static Tab tab(AccountAccess access, Infrastructure infrastructure) {
        return new Tab(infrastructure.id, infrastructure.label,
                access.infrastructuresPath() + "/" + infrastructure.id,
                access.can(Action.SHARE_INFRASTRUCTURE, infrastructure.id));
    }

    private static Shared shared(AccountAccess access, Infrastructure infrastructure) {
        return new Shared(access.accountId(), infrastructure.id);
    }
}
