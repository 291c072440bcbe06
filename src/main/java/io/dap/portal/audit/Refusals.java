package io.dap.portal.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.dap.portal.access.AccessRefused;

/** Records every refusal AccessPolicy announces, as it happens (R13). */
@ApplicationScoped
public class Refusals {

    @Inject
    AuditLog audit;

    void onAccessRefused(@Observes AccessRefused refusal) {
        audit.recordRefusal(refusal.userId(), refusal.email(), refusal.accountId(),
                refusal.notFound() ? AuditAction.ACCESS_NOT_FOUND : AuditAction.ACCESS_FORBIDDEN, refusal.target());
    }
}
