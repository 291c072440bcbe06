package io.dap.portal.operator;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.dap.portal.access.Actor;
import io.dap.portal.access.ActiveImpersonation;
import io.dap.portal.access.CurrentUser;
import io.dap.portal.web.Flash;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The separate confirmation an operator gives, while acting as a user, before changing anything
 * (R21). Stop is the banner's button, as for every impersonation.
 */
@Path("/operator/acting/changes")
@Produces(MediaType.TEXT_HTML)
public class SupportSessionResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance changes(ActiveImpersonation acting, int reasonMaxLength);
    }

    @Inject
    OperatorPolicy policy;

    @Inject
    SupportSessions support;

    @Inject
    CurrentUser currentUser;

    @Inject
    Flash flash;

    @GET
    public TemplateInstance page() {
        policy.requireActingOperator();
        return Templates.changes(currentUser.get().impersonation(), SupportSessions.REASON_MAX_LENGTH);
    }

    @POST
    public Response allow(@RestForm String reason, @RestForm String confirm) {
        Actor operator = policy.requireActingOperator();
        ActiveImpersonation acting = currentUser.get().impersonation();
        SupportSessions.ChangesResult result = support.allowChanges(operator, acting, "on".equals(confirm), reason);
        if (result instanceof SupportSessions.ChangesInvalid invalid) {
            flash.form(invalid.errors(), Map.of("reason", reason == null ? "" : reason.strip()));
            return Redirects.seeOther("/operator/acting/changes");
        }
        if (result instanceof SupportSessions.ChangesAllowed) {
            flash.success("Changes are allowed until you stop. " + acting.ownerEmail() + " was told.");
        } else {
            flash.info("Nothing to confirm: changes were already allowed, or the session ended.");
        }
        return Redirects.seeOther(currentUser.get().homePath());
    }
}
