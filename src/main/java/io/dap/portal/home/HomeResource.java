package io.dap.portal.home;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.dap.portal.session.CurrentUser;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

@Path("/")
@Produces(MediaType.TEXT_HTML)
public class HomeResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance landing();

    }

    @Inject
    CurrentUser currentUser;

    @GET
    public Response landing() {
        if (currentUser.signedIn()) {
            return Redirects.seeOther(currentUser.get().homePath());
        }
        return Response.ok(Templates.landing()).build();
    }

    /** Where sign-in lands: the user's own account's infrastructures. */
    @GET
    @Path("dashboard")
    public Response dashboard() {
        return Redirects.seeOther(currentUser.get().homePath());
    }
}
