package io.dap.portal.apitoken;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The raw bearer value of an {@code /api/} request and the address it came from. */
public class ApiTokenAuthenticationRequest extends BaseAuthenticationRequest {

    private final String secret;
    private final String clientAddress;

    public ApiTokenAuthenticationRequest(String secret, String clientAddress) {
        this.secret = secret;
        this.clientAddress = clientAddress;
    }

    public String secret() {
        return secret;
    }

    public String clientAddress() {
        return clientAddress;
    }
}
