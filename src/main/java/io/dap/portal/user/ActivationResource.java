package io.dap.portal.user;

import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.Redirects;
import io.dap.portal.limit.LimitedAction;
import io.dap.portal.limit.Limits;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The activation link from the mail (GET shows a button, POST activates) and "send me a new link". */
@Path("/activate")
@Produces(MediaType.TEXT_HTML)
public class ActivationResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance activate(String action, String email, boolean choosePassword);

        static native TemplateInstance resend();

        static native TemplateInstance invalidLink();
    }

    @Inject
    UserService users;

    @Inject
    PasswordPolicy passwords;

    @Inject
    Flash flash;

    @Inject
    Limits limits;

    @GET
    public TemplateInstance resendForm() {
        return Templates.resend();
    }

    @POST
    public Response resend(@RestForm String email) {
        String normalised = EmailAddress.normalise(email);
        String problem = EmailAddress.problem(normalised);
        if (problem != null) {
            flash.form(new FormErrors().add("email", problem), Map.of("email", normalised));
            return Redirects.seeOther("/activate");
        }
        limits.check(LimitedAction.ACTIVATION_RESEND, normalised);
        users.resendActivation(normalised);
        flash.info("If " + normalised + " is waiting for activation, a new link is on its way."
                + " Earlier links no longer work.");
        return Redirects.seeOther("/login");
    }

    @GET
    @Path("{token}")
    public Response show(@PathParam("token") String token) {
        Optional<User> user = users.activationTarget(token);
        if (user.isEmpty()) {
            return Response.status(404).entity(Templates.invalidLink()).build();
        }
        return Response.ok(Templates.activate("/activate/" + token, user.get().email, user.get().passwordHash == null)).build();
    }

    @POST
    @Path("{token}")
    public Response activate(@PathParam("token") String token, @RestForm String password) {
        Optional<User> user = users.activationTarget(token);
        if (user.isEmpty()) {
            return Response.status(404).entity(Templates.invalidLink()).build();
        }
        if (user.get().passwordHash == null) {
            String problem = passwords.problem(password, user.get().email);
            if (problem != null) {
                flash.form(new FormErrors().add("password", problem), Map.of());
                return Redirects.seeOther("/activate/" + token);
            }
        }
        if (users.activate(token, password) != UserService.ActivationResult.ACTIVATED) {
            return Response.status(404).entity(Templates.invalidLink()).build();
        }
        flash.success("Your account is active. Sign in to continue.");
        return Redirects.seeOther("/login");
    }
}
