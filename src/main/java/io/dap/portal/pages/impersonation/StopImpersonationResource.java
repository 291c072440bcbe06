package io.dap.portal.pages.impersonation;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.dap.portal.access.ActiveImpersonation;
import io.dap.portal.access.CurrentUser;
import io.dap.portal.access.SessionUser;
import io.dap.portal.impersonation.ImpersonationService;
import io.dap.portal.web.Flash;
import io.dap.portal.web.Redirects;

/**
 * The banner's Stop button (R10, and R21 for an operator acting as a user): ends this session's
 * impersonation, from whatever page.
 */
@Path("/impersonation/stop")
@Produces(MediaType.TEXT_HTML)
public class StopImpersonationResource {

    @Inject
    ImpersonationService impersonations;

    @Inject
    CurrentUser currentUser;

    @Inject
    Flash flash;

    @POST
    public Response stop() {
        SessionUser signedIn = currentUser.get();
        ActiveImpersonation ended = impersonations.stop(signedIn);
        if (ended != null) {
            flash.success("You stopped acting as " + ended.ownerEmail() + ".");
            return Redirects.seeOther(ended.afterStopPath());
        }
        flash.info("You were not acting as anyone.");
        return Redirects.seeOther(signedIn.homePath());
    }

}
