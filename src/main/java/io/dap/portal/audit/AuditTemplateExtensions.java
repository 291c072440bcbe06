package io.dap.portal.audit;

import io.quarkus.qute.TemplateExtension;

@TemplateExtension
public class AuditTemplateExtensions {

    static String actionLabel(AuditEvent event) {
        return AuditAction.labelOf(event.action);
    }

    /** How the change was made when it was not from a browser: "via API token ‘deploy-bot’", else empty. */
    public static String via(AuditEvent event) {
        return event.apiTokenName == null ? "" : "via API token \u2018" + event.apiTokenName + "\u2019";
    }
}
