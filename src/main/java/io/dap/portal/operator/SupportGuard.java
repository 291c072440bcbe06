package io.dap.portal.operator;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.dap.portal.audit.AuditAction;
import io.dap.portal.access.AuditContext;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.access.ActiveImpersonation;
import io.dap.portal.access.CurrentUser;
import io.dap.portal.access.SessionUser;
import io.dap.portal.web.ErrorPages;

/**
 * Every request of a session in which an operator acts as a user (R21): whatever it records is
 * the operator's doing on behalf of the user, and whatever {@link SupportSessions#refusal} refuses
 * is refused (403, audited) before any page is reached. One rule on the path, so a page added
 * later is covered without anyone remembering to. Runs before the CSRF check and the other guards.
 */
public class SupportGuard {

    @Inject
    CurrentUser currentUser;

    @Inject
    AuditContext auditContext;

    @Inject
    AuditLog audit;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response guard(ContainerRequestContext request) {
        if (!currentUser.signedIn()) {
            return null;
        }
        SessionUser signedIn = currentUser.get();
        if (!signedIn.supportSession()) {
            return null;
        }
        ActiveImpersonation acting = signedIn.impersonation();
        auditContext.actingAsUser(acting.impersonatorId(), acting.impersonatorEmail(), signedIn.userId(),
                signedIn.email());
        String path = request.getUriInfo().getPath();
        String refusal = SupportSessions.refusal(request.getMethod(), path, acting.changesAllowed());
        if (refusal == null) {
            return null;
        }
        audit.recordRefusal(signedIn.userId(), signedIn.email(), null, AuditAction.ACCESS_FORBIDDEN,
                request.getMethod() + " " + path + " (acting as a user" + (acting.changesAllowed() ? ")" : ", read-only)"));
        return ErrorPages.page(403, refusal);
    }
}
