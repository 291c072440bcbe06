package io.dap.portal.pages.notification;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.dap.portal.access.CurrentUser;
import io.dap.portal.notification.Notification;
import io.dap.portal.web.Redirects;
import io.dap.portal.web.TimeSource;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The signed-in user's in-app notifications, newest first; reading them is a POST like any change. */
@Path("/notifications")
@Produces(MediaType.TEXT_HTML)
public class NotificationsResource {

    private static final int SHOWN = 50;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance notifications(List<Notification> notifications);
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    TimeSource time;

    @GET
    @Transactional
    public TemplateInstance list() {
        // The newest ids from the index alone, then those rows: H2 would otherwise read every row of
        // the user's notifications through another index and sort them, for a person with thousands.
        return Templates.notifications(Notification.<Notification>find("id in (select n.id from Notification n"
                + " where n.userId = ?1 order by n.userId, n.createdAt desc, n.id desc limit " + SHOWN + ")"
                + " order by createdAt desc, id desc", currentUser.id()).list());
    }

    @POST
    @Path("read")
    @Transactional
    public Response markAllRead() {
        Notification.update("readAt = ?1 where userId = ?2 and readAt is null", time.now(), currentUser.id());
        return Redirects.seeOther("/notifications");
    }
}
