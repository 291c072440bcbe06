package io.dap.portal.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.vertx.core.http.HttpServerRequest;

/**
 * The client's address as seen by the server; behind a load balancer enable
 * quarkus.http.proxy.proxy-address-forwarding so this is the forwarded address.
 */
@RequestScoped
public class ClientAddress {

    @Inject
    HttpServerRequest request;

    public String value() {
        var address = request.remoteAddress();
        return address == null ? "unknown" : address.hostAddress();
    }

    public String userAgent() {
        String agent = request.getHeader("User-Agent");
        if (agent == null) {
            return "";
        }
        return agent.length() > 255 ? agent.substring(0, 255) : agent;
    }
}
