package io.dap.portal.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The client's address as seen by the server; behind a load balancer enable
 * quarkus.http.proxy.proxy-address-forwarding so this is the forwarded address.
 */
@RequestScoped
public class ClientAddress {

    @Inject
    CurrentVertxRequest current;

    /** Null outside an HTTP request (a scheduled job, a test calling a service). */
    public String value() {
        RoutingContext context = current.getCurrent();
        if (context == null || context.request().remoteAddress() == null) {
            return null;
        }
        return context.request().remoteAddress().hostAddress();
    }

    public String userAgent() {
        RoutingContext context = current.getCurrent();
        String agent = context == null ? null : context.request().getHeader("User-Agent");
        if (agent == null) {
            return "";
        }
        return agent.length() > 255 ? agent.substring(0, 255) : agent;
    }
}
