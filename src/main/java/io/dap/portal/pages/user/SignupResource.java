package io.dap.portal.pages.user;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;

import io.dap.portal.credentials.UserService;
import io.dap.portal.limit.LimitedAction;
import io.dap.portal.limit.Limits;
import io.dap.portal.user.DisplayNames;
import io.dap.portal.user.EmailAddress;
import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Sign-up asks for the address and a name only: an address nobody has proved holds no password
 * (R18), so the password is chosen on the page the activation link opens.
 */
@Path("/signup")
@Produces(MediaType.TEXT_HTML)
public class SignupResource {

    private static final Logger LOG = Logger.getLogger(SignupResource.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signup();
    }

    @Inject
    UserService users;

    @Inject
    Flash flash;

    @Inject
    Limits limits;

    @GET
    public TemplateInstance form() {
        return Templates.signup();
    }

    @POST
    public Response signUp(@RestForm String email, @RestForm String displayName) {
        String normalisedEmail = EmailAddress.normalise(email);
        String name = DisplayNames.clean(displayName);
        FormErrors errors = new FormErrors();
        String emailProblem = EmailAddress.problem(normalisedEmail);
        if (emailProblem != null) {
            errors.add("email", emailProblem);
        }
        String nameProblem = DisplayNames.problem(name);
        if (nameProblem != null) {
            errors.add("displayName", nameProblem);
        }
        if (!errors.isEmpty()) {
            flash.form(errors, Map.of("email", normalisedEmail, "displayName", name));
            return Redirects.seeOther("/signup");
        }
        limits.check(LimitedAction.SIGN_UP, normalisedEmail);
        try {
            users.signUp(normalisedEmail, name);
        } catch (PersistenceException e) {
            // Two sign-ups of one address at the same moment: the other one won and mails the owner.
            LOG.debug("Concurrent sign-up of one address", e);
        }
        flash.info("Check your inbox: we sent a message to " + normalisedEmail
                + ". Follow its link to choose your password and finish signing up.");
        return Redirects.seeOther("/login");
    }
}
