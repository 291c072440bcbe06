package io.dap.portal.pages.audit;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;

import io.dap.portal.access.CurrentUser;
import io.dap.portal.web.Keyset;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.web.PortalConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Settings › Security log: the signed-in user's own sign-ins, sessions and password events. */
@Path("/settings/security-log")
@Produces(MediaType.TEXT_HTML)
public class SecurityLogResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance log(Keyset<AuditEvent> events);
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    AuditLog audit;

    @Inject
    PortalConfig config;

    @GET
    public TemplateInstance log(@RestQuery String newer, @RestQuery String older) {
        return Templates.log(audit.securityLog(currentUser.id(), newer, older, config.pageSize()));
    }
}
