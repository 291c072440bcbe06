package io.dap.portal.support;

import java.sql.SQLTransientConnectionException;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * Test-only endpoint: fails the way a request fails while the database is down, so browser tests can
 * look at the 503 page without stopping the database the rest of the suite shares.
 */
@Path("/test-support/unavailable")
public class UnavailableProbeResource {

    @GET
    public String fail() throws SQLTransientConnectionException {
        throw new SQLTransientConnectionException("test: the database does not answer");
    }
}
