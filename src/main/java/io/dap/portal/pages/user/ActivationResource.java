package io.dap.portal.pages.user;

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

import io.dap.portal.credentials.UserService;
import io.dap.portal.limit.LimitedAction;
import io.dap.portal.limit.Limits;
import io.dap.portal.session.SignInFlow;
import io.dap.portal.user.DisplayNames;
import io.dap.portal.user.EmailAddress;
import io.dap.portal.user.PasswordPolicy;
import io.dap.portal.user.User;
import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The activation link from the mail: the GET shows the form and changes nothing; the POST takes
 * the name and the password chosen by whoever holds the link (R18), activates, and signs them in.
 * Also "send me a new link".
 */
@Path("/activate")
@Produces(MediaType.TEXT_HTML)
public class ActivationResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance activate(String action, String email, String displayName);

        static native TemplateInstance resend();

        static native TemplateInstance invalidLink();
    }

    @Inject
    UserService users;

    @Inject
    PasswordPolicy passwords;

    @Inject
    SignInFlow signIn;

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
        Optional<UserService.ActivationView> target = users.activationTarget(token);
        if (target.isEmpty()) {
            return Response.status(404).entity(Templates.invalidLink()).build();
        }
        String refill = flash.value("displayName");
        return Response.ok(Templates.activate("/activate/" + token, target.get().email(),
                refill.isEmpty() ? target.get().proposedName() : refill)).build();
    }

    @POST
    @Path("{token}")
    public Response activate(@PathParam("token") String token, @RestForm String displayName,
            @RestForm String password) {
        Optional<UserService.ActivationView> target = users.activationTarget(token);
        if (target.isEmpty()) {
            return Response.status(404).entity(Templates.invalidLink()).build();
        }
        String name = displayName == null ? "" : displayName.strip();
        FormErrors errors = new FormErrors();
        String nameProblem = DisplayNames.problem(name);
        if (nameProblem != null) {
            errors.add("displayName", nameProblem);
        }
        String passwordProblem = passwords.problem(password, target.get().email());
        if (passwordProblem != null) {
            errors.add("password", passwordProblem);
        }
        if (!errors.isEmpty()) {
            flash.form(errors, Map.of("displayName", name));
            return Redirects.seeOther("/activate/" + token);
        }
        Optional<User> activated = users.activate(token, name, password);
        if (activated.isEmpty()) {
            return Response.status(404).entity(Templates.invalidLink()).build();
        }
        flash.success("Your account is active and you are signed in. Welcome, " + name + ".");
        return signIn.complete(activated.get(), signIn.landingAfterActivation(activated.get().id), "after activation");
    }
}
