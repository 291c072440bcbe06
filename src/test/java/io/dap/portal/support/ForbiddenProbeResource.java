package io.dap.portal.support;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import io.quarkus.security.ForbiddenException;

/** Test-only endpoint: a signed-in request that the portal refuses with 403, to check the 403 page. */
@Path("/test-support/forbidden")
public class ForbiddenProbeResource {

    @GET
    public String refuse() {
        throw new ForbiddenException();
    }
}
