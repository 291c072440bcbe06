package io.dap.portal.impersonation;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.dap.portal.access.ActiveImpersonation;
import io.dap.portal.access.AuditContext;
import io.dap.portal.access.CurrentUser;
import io.dap.portal.access.SessionUser;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.web.ErrorPages;

/**
 * While a session impersonates an owner, nothing under Settings changes (R10): not a password, an
 * email address, a session, an API token, an SSH key or an account's name. One rule on the path
 * prefix, so a settings page added later is covered without anyone remembering to.
 */
public class ImpersonationGuard {

    @Inject
    CurrentUser currentUser;

    @Inject
    AuditLog audit;

    @Inject
    AuditContext auditContext;

    @ServerRequestFilter
    public Response refuseSettingsChanges(ContainerRequestContext request) {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method) || !currentUser.signedIn()) {
            return null;
        }
        String path = request.getUriInfo().getPath();
        SessionUser signedIn = currentUser.get();
        ActiveImpersonation impersonation = signedIn.impersonation();
        if (impersonation == null || !(path.equals("/settings") || path.startsWith("/settings/"))) {
            return null;
        }
        auditContext.impersonating(impersonation.accountId(), impersonation.ownerId(), impersonation.ownerEmail());
        audit.recordRefusal(signedIn.userId(), signedIn.email(), impersonation.accountId(),
                AuditAction.ACCESS_FORBIDDEN, path + " (while impersonating)");
        return ErrorPages.page(403, "You are acting as " + impersonation.ownerEmail()
                + ". Settings cannot be changed while you do; stop acting as them first.");
    }
}
