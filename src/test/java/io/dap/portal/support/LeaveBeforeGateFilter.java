package io.dap.portal.support;

import jakarta.ws.rs.Priorities;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;

/**
 * Test-only: a request sent with {@value #HEADER} waits, before the first-visit gate sees it, until
 * its client has gone, so the gate meets a visit whose answer nobody will read.
 */
public class LeaveBeforeGateFilter {

    public static final String HEADER = "X-Test-Leave-Before-Gate";

    @ServerRequestFilter(priority = Priorities.USER - 1)
    void waitForTheClientToLeave(RoutingContext routing) throws InterruptedException {
        if (routing.request().getHeader(HEADER) == null || Context.isOnEventLoopThread()) {
            return;
        }
        for (int i = 0; i < 1000 && !routing.response().closed(); i++) {
            Thread.sleep(10);
        }
    }
}
