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

import io.dap.portal.access.CurrentUser;
import io.dap.portal.credentials.UserService;
import io.dap.portal.limit.LimitedAction;
import io.dap.portal.limit.Limits;
import io.dap.portal.user.EmailAddress;
import io.dap.portal.web.ClientAddress;
import io.dap.portal.web.ErrorPages;
import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Changing one's address: asked with the password on Settings › Profile, confirmed by the link
 * sent to the new address, followed while signed in as the same person. The GET of the link shows
 * a button and changes nothing.
 */
@Path("/settings/email")
@Produces(MediaType.TEXT_HTML)
public class EmailChangeResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance confirm(String action, String currentEmail, String newEmail);
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    UserService users;

    @Inject
    ClientAddress client;

    @Inject
    Flash flash;

    @Inject
    Limits limits;

    @POST
    public Response request(@RestForm String newEmail, @RestForm String password) {
        String normalised = EmailAddress.normalise(newEmail);
        FormErrors errors = new FormErrors();
        String problem = EmailAddress.problem(normalised);
        if (problem != null) {
            errors.add("newEmail", problem);
        }
        if (password == null || password.isEmpty()) {
            errors.add("password", "Enter your current password.");
        }
        if (errors.isEmpty()) {
            // R20: the new address receives a link; it counts against that address's budget (429 past it).
            limits.check(LimitedAction.EMAIL_CHANGE, normalised);
            UserService.EmailChangeRequest result = users.requestEmailChange(currentUser.id(), normalised, password,
                    client.value());
            if (result instanceof UserService.EmailProblem refused) {
                errors.add(refused.field(), refused.message());
            } else if (result instanceof UserService.EmailThrottled) {
                errors.add("password", "Too many wrong passwords. Wait a few minutes and try again.");
            }
        }
        if (!errors.isEmpty()) {
            flash.form(errors, Map.of("newEmail", normalised));
            return Redirects.seeOther("/settings/profile");
        }
        flash.info("We sent a link to " + normalised + ". Your address changes when you follow it, signed in as now."
                + " Until then, everything stays at " + currentUser.email() + ".");
        return Redirects.seeOther("/settings/profile");
    }

    @GET
    @Path("confirm/{token}")
    public Response show(@PathParam("token") String token) {
        Optional<UserService.EmailChangeView> change = users.emailChangeTarget(token, currentUser.id());
        if (change.isEmpty()) {
            return notValid();
        }
        return Response.ok(Templates.confirm("/settings/email/confirm/" + token, change.get().currentEmail(),
                change.get().newEmail())).build();
    }

    @POST
    @Path("confirm/{token}")
    public Response confirm(@PathParam("token") String token) {
        String newEmail = users.emailChangeTarget(token, currentUser.id()).map(UserService.EmailChangeView::newEmail)
                .orElse("the new address");
        return switch (users.confirmEmailChange(token, currentUser.id())) {
            case CHANGED -> {
                flash.success("Your address is now " + newEmail + ". The previous address was told.");
                yield Redirects.seeOther("/settings/profile");
            }
            case TAKEN -> ErrorPages.page(409, "Another account uses " + newEmail
                    + " by now, so your address was not changed.");
            case NOT_VALID -> notValid();
        };
    }

    /** A link of someone else, used, replaced or expired: one neutral answer. */
    private static Response notValid() {
        return ErrorPages.page(404, "This link is not valid: it was used or replaced, it expired, or it belongs to"
                + " another account. Sign in as the account that asked for the change, or ask again from"
                + " Settings › Profile.");
    }
}
