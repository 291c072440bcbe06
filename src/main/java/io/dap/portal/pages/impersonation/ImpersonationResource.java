package io.dap.portal.pages.impersonation;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Action;
import io.dap.portal.access.CurrentUser;
import io.dap.portal.access.SessionUser;
import io.dap.portal.impersonation.ImpersonationService;
import io.dap.portal.twofactor.TwoFactorService;
import io.dap.portal.web.Flash;
import io.dap.portal.web.Redirects;
import io.dap.portal.web.Times;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Starting an impersonation of the account owner (R10), from the owner's account. Stop is
 * {@link StopImpersonationResource}, reachable from the banner on every page.
 */
@Path("/accounts/{accountId}/impersonation")
@Produces(MediaType.TEXT_HTML)
public class ImpersonationResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance start(AccountAccess access, String duration, int reasonMaxLength,
                boolean askCode);
    }

    @Inject
    AccessPolicy policy;

    @Inject
    ImpersonationService impersonations;

    @Inject
    CurrentUser currentUser;

    @Inject
    Flash flash;

    @Inject
    TwoFactorService twoFactor;

    @GET
    public TemplateInstance page(@RestPath String accountId) {
        AccountAccess access = policy.requireAccount(accountId);
        if (!access.impersonating()) {
            policy.require(access, Action.IMPERSONATE_OWNER);
        }
        return Templates.start(access, Times.describe(impersonations.duration()), ImpersonationService.REASON_MAX_LENGTH,
                twoFactor.enabledFor(access.actor().userId()));
    }

    @POST
    public Response start(@RestPath String accountId, @RestForm String reason, @RestForm String password,
            @RestForm String code) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.IMPERSONATE_OWNER);
        SessionUser signedIn = currentUser.get();
        ImpersonationService.StartResult result = impersonations.start(access, signedIn, reason, password, code);
        String back = access.impersonationPath();
        String kept = reason == null ? "" : reason.strip();
        if (result instanceof ImpersonationService.Started) {
            flash.success("You are now acting as " + access.ownerEmail() + " for billing. Stop as soon as you are done.");
            return Redirects.seeOther(access.path() + "/billing");
        }
        if (result instanceof ImpersonationService.Invalid invalid) {
            // The password is never sent back into the form.
            flash.form(invalid.errors(), Map.of("reason", kept));
        } else if (result instanceof ImpersonationService.Throttled) {
            flash.error("Too many wrong passwords or codes. Wait a few minutes and try again.");
        } else {
            flash.error("This session is already acting as someone. Stop that first.");
        }
        return Redirects.seeOther(back);
    }
}
