package io.dap.portal.pages.user;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.dap.portal.access.CurrentUser;
import io.dap.portal.access.SessionUser;
import io.dap.portal.credentials.UserService;
import io.dap.portal.user.DisplayNames;
import io.dap.portal.user.PasswordPolicy;
import io.dap.portal.web.ClientAddress;
import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Settings › Profile and Settings › Password of the signed-in user. */
@Path("/settings")
@Produces(MediaType.TEXT_HTML)
public class SettingsResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance profile(String email, String displayName);

        static native TemplateInstance password();
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    UserService users;

    @Inject
    PasswordPolicy passwords;

    @Inject
    Flash flash;

    @Inject
    ClientAddress client;

    @GET
    public Response index() {
        return Redirects.seeOther("/settings/profile");
    }

    @GET
    @Path("profile")
    public TemplateInstance profile() {
        SessionUser me = currentUser.get();
        String refill = flash.value("displayName");
        return Templates.profile(me.email(), refill.isEmpty() ? me.displayName() : refill);
    }

    @POST
    @Path("profile")
    public Response updateProfile(@RestForm String displayName) {
        String name = DisplayNames.clean(displayName);
        String problem = DisplayNames.problem(name);
        if (problem != null) {
            flash.form(new FormErrors().add("displayName", problem), Map.of("displayName", name));
            return Redirects.seeOther("/settings/profile");
        }
        users.updateProfile(currentUser.id(), name);
        flash.success("Your profile was saved.");
        return Redirects.seeOther("/settings/profile");
    }

    @GET
    @Path("password")
    public TemplateInstance password() {
        return Templates.password();
    }

    @POST
    @Path("password")
    public Response changePassword(@RestForm String currentPassword, @RestForm String newPassword) {
        SessionUser me = currentUser.get();
        FormErrors errors = new FormErrors();
        if (currentPassword == null || currentPassword.isEmpty()) {
            errors.add("currentPassword", "Enter your current password.");
        }
        String problem = passwords.problem(newPassword, me.email());
        if (problem != null) {
            errors.add("newPassword", problem);
        }
        if (errors.isEmpty()) {
            UserService.PasswordChange result = users.changePassword(me.userId(), me.sessionId(), currentPassword,
                    newPassword, client.value());
            if (result instanceof UserService.WrongPassword) {
                errors.add("currentPassword", "This is not your current password.");
            } else if (result instanceof UserService.Throttled) {
                errors.add("currentPassword", "Too many wrong passwords. Wait a few minutes and try again.");
            }
        }
        if (!errors.isEmpty()) {
            flash.form(errors, Map.of());
            return Redirects.seeOther("/settings/password");
        }
        flash.success("Your password was changed. Every other session was signed out.");
        return Redirects.seeOther(PasswordResetResource.CREDENTIALS_REVIEW);
    }
}
