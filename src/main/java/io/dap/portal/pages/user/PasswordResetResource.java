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
import io.dap.portal.user.EmailAddress;
import io.dap.portal.user.PasswordPolicy;
import io.dap.portal.user.User;
import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

@Path("/")
@Produces(MediaType.TEXT_HTML)
public class PasswordResetResource {

    /** Where a password reset or change leads: the keys to the account that outlive a password. */
    public static final String CREDENTIALS_REVIEW = "/settings/credentials";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance forgot();

        static native TemplateInstance reset(String action);
    }

    @Inject
    UserService users;

    @Inject
    PasswordPolicy passwords;

    @Inject
    PortalConfig config;

    @Inject
    SignInFlow signIn;

    @Inject
    Flash flash;

    @Inject
    Limits limits;

    @GET
    @Path("forgot-password")
    public TemplateInstance forgotForm() {
        return Templates.forgot();
    }

    @POST
    @Path("forgot-password")
    public Response forgot(@RestForm String email) {
        String normalised = EmailAddress.normalise(email);
        String problem = EmailAddress.problem(normalised);
        if (problem != null) {
            flash.form(new FormErrors().add("email", problem), Map.of("email", normalised));
            return Redirects.seeOther("/forgot-password");
        }
        limits.check(LimitedAction.PASSWORD_RESET, normalised);
        users.requestPasswordReset(normalised);
        flash.info("If an account uses " + normalised + ", we sent it a link to choose a new password.");
        return Redirects.seeOther("/login");
    }

    @GET
    @Path("reset-password/{token}")
    public Response resetForm(@PathParam("token") String token) {
        if (!users.isResetLinkUsable(token)) {
            return Response.status(404).entity(ActivationResource.Templates.invalidLink()).build();
        }
        return Response.ok(Templates.reset("/reset-password/" + token)).build();
    }

    @POST
    @Path("reset-password/{token}")
    public Response reset(@PathParam("token") String token, @RestForm String password) {
        if (!users.isResetLinkUsable(token)) {
            return Response.status(404).entity(ActivationResource.Templates.invalidLink()).build();
        }
        String problem = passwords.problem(password, null);
        if (problem != null) {
            flash.form(new FormErrors().add("password", problem), Map.of());
            return Redirects.seeOther("/reset-password/" + token);
        }
        Optional<User> user = users.resetPassword(token, password);
        if (user.isEmpty()) {
            return Response.status(404).entity(ActivationResource.Templates.invalidLink()).build();
        }
        flash.success("Your password was changed and every other session was signed out.");
        // A reset proves the address, not the second factor: the code is still asked when it is on.
        return signIn.proceed(user.get(), CREDENTIALS_REVIEW, "after a password reset");
    }
}
