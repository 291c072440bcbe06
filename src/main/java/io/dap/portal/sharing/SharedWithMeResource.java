package io.dap.portal.sharing;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.Ids;
import io.dap.portal.access.Role;
import io.dap.portal.invitation.Invitation;
import io.dap.portal.session.CurrentUser;
import io.dap.portal.web.Flash;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Redirects;
import io.dap.portal.web.TimeSource;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Settings › Shared with me: invitations waiting for an answer, and the access the user holds. */
@Path("/settings/shared-with-me")
@Produces(MediaType.TEXT_HTML)
public class SharedWithMeResource {

    public record Received(Long id, String what, String roleLabel, String ownerName, String ownerEmail,
            String invitedByName, Instant at, Instant endsAt, String accountPath) {

        public String acceptAction() {
            return "/settings/shared-with-me/" + id + "/accept";
        }

        public String declineAction() {
            return "/settings/shared-with-me/" + id + "/decline";
        }

        public String leaveAction() {
            return "/settings/shared-with-me/" + id + "/leave";
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance sharedWithMe(Page<Received> pending, Page<Received> active,
                String activePagerBase, String pendingPagerBase);
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    AccessPolicy policy;

    @Inject
    SharingService sharing;

    @Inject
    TimeSource time;

    @Inject
    Flash flash;

    @Inject
    PortalConfig config;

    @GET
    public TemplateInstance page(@RestQuery @DefaultValue("1") String page,
            @RestQuery @DefaultValue("1") String invitations) {
        Long me = currentUser.id();
        int size = config.pageSize();
        Page<Received> pending = sharing.waitingFor(me, Page.parseNumber(invitations), size).map(this::received);
        Page<Received> active = sharing.heldBy(me, Page.parseNumber(page), size).map(this::received);
        return Templates.sharedWithMe(pending, active, "/settings/shared-with-me?invitations="
                + pending.number() + "&", "/settings/shared-with-me?page=" + active.number() + "&");
    }

    @POST
    @Path("{grantId}/accept")
    public Response accept(@PathParam("grantId") String grantId) {
        return answer(Ids.parse(grantId), true);
    }

    @POST
    @Path("{grantId}/decline")
    public Response decline(@PathParam("grantId") String grantId) {
        return answer(Ids.parse(grantId), false);
    }

    @POST
    @Path("{grantId}/leave")
    public Response leave(@PathParam("grantId") String grantId) {
        if (!sharing.leave(Ids.parse(grantId), policy.actor())) {
            flash.error("You no longer had that access; nothing changed.");
        } else {
            flash.success("You left. The owner was told.");
        }
        return Redirects.seeOther("/settings/shared-with-me");
    }

    private Response answer(long grantId, boolean accept) {
        SharingService.Response result;
        try {
            result = accept ? sharing.acceptById(grantId, policy.actor()) : sharing.declineById(grantId, policy.actor());
        } catch (SharingService.ConcurrentChange | PersistenceException e) {
            result = SharingService.Response.NOT_VALID;
        }
        if (result == SharingService.Response.DONE) {
            flash.success(accept ? "Invitation accepted." : "Invitation declined.");
        } else {
            flash.error("That invitation can no longer be answered.");
        }
        return Redirects.seeOther("/settings/shared-with-me");
    }

    private Received received(Grant grant) {
        String path = "/accounts/" + grant.account.id + (grant.scope == Role.Scope.ACCOUNT ? "/infrastructures"
                : "/infrastructures/" + grant.infrastructure.id);
        return new Received(grant.id, SharingService.what(grant), grant.role.label(), grant.account.owner.displayName,
                grant.account.owner.email, grant.invitedBy.displayName, grant.invitedAt, grant.endsAt, path);
    }
}
