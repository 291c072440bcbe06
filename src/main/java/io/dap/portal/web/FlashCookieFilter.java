package io.dap.portal.web;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.quarkus.arc.Arc;

/** Writes the flash for the next request, or forgets the one this request showed. */
public class FlashCookieFilter {

    // Filters are created at static init, before runtime configuration exists: look it up per call.
    @Inject
    Instance<PortalConfig> config;

    @ServerResponseFilter
    public void writeFlash(ContainerResponseContext response) {
        var flashHandle = Arc.container().instance(Flash.class);
        if (!flashHandle.isAvailable() || !Arc.container().requestContext().isActive()) {
            return;
        }
        var cookie = flashHandle.get().responseCookie(config.get().https());
        if (cookie != null) {
            response.getHeaders().add(HttpHeaders.SET_COOKIE, cookie);
        }
    }
}
