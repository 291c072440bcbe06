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

        static native TemplateInstance dashboard(String displayName);
    }

    @Inject
    CurrentUser currentUser;

    @GET
    public Response landing() {
        if (currentUser.signedIn()) {
            return Redirects.seeOther("/dashboard");
        }
        return Response.ok(Templates.landing()).build();
    }

    @GET
    @Path("dashboard")
    public TemplateInstance dashboard() {
        return Templates.dashboard(currentUser.get().displayName());
    }
}
