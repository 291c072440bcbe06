package io.dap.portal.audit;

import io.quarkus.qute.TemplateExtension;

@TemplateExtension
public class AuditTemplateExtensions {

    static String actionLabel(AuditEvent event) {
        return AuditAction.labelOf(event.action);
    }
}
