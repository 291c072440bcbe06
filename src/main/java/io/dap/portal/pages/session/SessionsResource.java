package io.dap.portal.pages.session;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.dap.portal.access.CurrentUser;
import io.dap.portal.access.SessionUser;
import io.dap.portal.session.SessionService;
import io.dap.portal.web.Flash;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Settings › Sessions: where the user is signed in, and signing out one or all of them. */
@Path("/settings/sessions")
@Produces(MediaType.TEXT_HTML)
public class SessionsResource {

    public record SessionRow(Long id, Instant createdAt, Instant lastSeenAt, String clientAddress, String userAgent,
            boolean current) {

        public String revokeAction() {
            return "/settings/sessions/" + id + "/revoke";
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance sessions(List<SessionRow> sessions);
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    SessionService sessions;

    @Inject
    PortalConfig config;

    @Inject
    Flash flash;

    @GET
    public TemplateInstance list() {
        SessionUser me = currentUser.get();
        List<SessionRow> rows = sessions.list(me.userId()).stream()
                .map(s -> new SessionRow(s.id, s.createdAt, s.lastSeenAt, s.clientAddress, s.userAgent,
                        s.id.equals(me.sessionId())))
                .toList();
        return Templates.sessions(rows);
    }

    @POST
    @Path("{id}/revoke")
    public Response revoke(@PathParam("id") String id) {
        SessionUser me = currentUser.get();
        Long sessionId = parseId(id);
        if (sessionId == null || !sessions.revoke(me, sessionId)) {
            throw new jakarta.ws.rs.NotFoundException();
        }
        if (sessionId.equals(me.sessionId())) {
            return signedOut("You have signed out.");
        }
        flash.success("That session was signed out.");
        return Redirects.seeOther("/settings/sessions");
    }

    @POST
    @Path("revoke-all")
    public Response revokeAll(@RestForm String apiTokens) {
        boolean tokensToo = "on".equals(apiTokens);
        long count = sessions.revokeAll(currentUser.get(), tokensToo);
        return signedOut("You were signed out of " + count + (count == 1 ? " session." : " sessions, this one included.")
                + (tokensToo ? " Every API token you had was revoked." : ""));
    }

    private Response signedOut(String message) {
        flash.success(message);
        NewCookie expired = new NewCookie.Builder(config.session().cookieName()).value("").path("/").maxAge(0)
                .httpOnly(true).secure(config.https()).sameSite(NewCookie.SameSite.LAX).build();
        return Response.seeOther(java.net.URI.create("/login")).header(HttpHeaders.SET_COOKIE, expired).build();
    }

    static Long parseId(String raw) {
        try {
            long value = Long.parseLong(raw);
            return value > 0 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
