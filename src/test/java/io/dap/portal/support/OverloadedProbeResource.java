package io.dap.portal.support;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import io.dap.portal.web.Overloaded;

/** Test-only endpoint: a request the portal has no room for (a full password-hashing line, say). */
@Path("/test-support/overloaded")
public class OverloadedProbeResource {

    @GET
    public String refuse() {
        throw new Overloaded("no room");
    }
}
