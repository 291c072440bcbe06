package io.dap.portal.session;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The raw session cookie value, to be resolved against the database. */
public class SessionAuthenticationRequest extends BaseAuthenticationRequest {

    private final String rawId;

    public SessionAuthenticationRequest(String rawId) {
        this.rawId = rawId;
    }

    public String rawId() {
        return rawId;
    }
}
