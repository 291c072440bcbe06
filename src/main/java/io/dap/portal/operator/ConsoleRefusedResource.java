package io.dap.portal.operator;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.access.CurrentUser;
import io.dap.portal.access.SessionUser;
import io.dap.portal.web.ErrorPages;
import io.vertx.ext.web.RoutingContext;

/**
 * Where {@link ConsoleGate} sends a non-operator's console request: recorded (R13), then answered
 * exactly like an address that does not exist.
 */
@Path(ConsoleRefusedResource.PATH)
public class ConsoleRefusedResource {

    /** Reachable directly too, where it is just as empty. */
    static final String PATH = "/console-refused";

    @Inject
    CurrentUser currentUser;

    @Inject
    AuditLog audit;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response refused(RoutingContext routing) {
        if (currentUser.signedIn()) {
            SessionUser signedIn = currentUser.get();
            String original = routing.get(ConsoleGate.ORIGINAL);
            audit.recordRefusal(signedIn.realUserId(), signedIn.realEmail(), null, AuditAction.ACCESS_NOT_FOUND,
                    "operator console " + (original == null ? PATH : original));
        }
        return ErrorPages.unknownPath();
    }
}
