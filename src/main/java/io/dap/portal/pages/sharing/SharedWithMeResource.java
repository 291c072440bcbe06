package io.dap.portal.pages.sharing;


import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
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
import io.dap.portal.access.CurrentUser;
import io.dap.portal.access.Ids;
import io.dap.portal.sharing.ReceivedAccess;
import io.dap.portal.sharing.InvitationAnswers;
import io.dap.portal.web.Flash;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Settings › Shared with me: invitations waiting for an answer, and the access the user holds. */
@Path("/settings/shared-with-me")
@Produces(MediaType.TEXT_HTML)
public class SharedWithMeResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance sharedWithMe(Page<ReceivedAccess.Received> pending,
                Page<ReceivedAccess.Received> active, String activePagerBase, String pendingPagerBase);
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    AccessPolicy policy;

    @Inject
    InvitationAnswers answers;

    @Inject
    ReceivedAccess received;

    /** Invitations shown at once. */
    static final int WAITING_PAGE = 50;

    @Inject
    PortalConfig config;

    @Inject
    Flash flash;

    /** Invitations waiting, a generous page of them (they are answered, not browsed), then the access held, by page. */
    @GET
    public TemplateInstance page(@RestQuery @DefaultValue("1") String page,
            @RestQuery @DefaultValue("1") String invitations) {
        Long me = currentUser.id();
        Page<ReceivedAccess.Received> pending = received.waiting(me, Page.parseNumber(invitations), WAITING_PAGE);
        Page<ReceivedAccess.Received> active = received.held(me, Page.parseNumber(page), config.pageSize());
        // Each pager keeps the other list's page.
        return Templates.sharedWithMe(pending, active, "/settings/shared-with-me?invitations=" + pending.number() + "&",
                "/settings/shared-with-me?page=" + active.number() + "&");
    }

    @POST
    @Path("{grantId}/accept")
    public Response accept(@PathParam("grantId") String grantId, @RestForm String back) {
        return answer(Ids.parse(grantId), true, back);
    }

    @POST
    @Path("{grantId}/decline")
    public Response decline(@PathParam("grantId") String grantId, @RestForm String back) {
        return answer(Ids.parse(grantId), false, back);
    }

    @POST
    @Path("{grantId}/leave")
    public Response leave(@PathParam("grantId") String grantId) {
        if (!answers.leave(Ids.parse(grantId), policy.actor())) {
            flash.error("You no longer had that access; nothing changed.");
        } else {
            flash.success("You left. The owner was told.");
        }
        return Redirects.seeOther("/settings/shared-with-me");
    }

    /** Answered here or in place on the dashboard ({@code back=dashboard}); nowhere else. */
    private Response answer(long grantId, boolean accept, String back) {
        InvitationAnswers.Response result;
        try {
            result = accept ? answers.acceptById(grantId, policy.actor()) : answers.declineById(grantId, policy.actor());
        } catch (InvitationAnswers.ConcurrentChange | PersistenceException e) {
            result = InvitationAnswers.Response.NOT_VALID;
        }
        if (result == InvitationAnswers.Response.DONE) {
            flash.success(accept ? "Invitation accepted." : "Invitation declined.");
        } else {
            flash.error("That invitation can no longer be answered.");
        }
        return Redirects.seeOther("dashboard".equals(back) ? "/" : "/settings/shared-with-me");
    }
}
