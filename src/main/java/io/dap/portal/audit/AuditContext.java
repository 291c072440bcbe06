package io.dap.portal.audit;

import jakarta.enterprise.context.RequestScoped;

/**
 * What every audit entry of this request should carry without each caller passing it: set by
 * AccessPolicy when the request acts in an account its session impersonates the owner of (R10),
 * so each change there records the real user and the impersonated owner.
 */
@RequestScoped
public class AuditContext {

    private Long accountId;
    private Long onBehalfOfId;
    private String onBehalfOfEmail;

    public void impersonating(Long accountId, Long ownerId, String ownerEmail) {
        this.accountId = accountId;
        this.onBehalfOfId = ownerId;
        this.onBehalfOfEmail = ownerEmail;
    }

    /** Marks an event happening in the impersonated account (or in no account at all). */
    void mark(AuditEvent event) {
        if (onBehalfOfId != null && event.onBehalfOfId == null
                && (event.accountId == null || event.accountId.equals(accountId))) {
            event.onBehalfOfId = onBehalfOfId;
            event.onBehalfOfEmail = onBehalfOfEmail;
        }
    }
}
