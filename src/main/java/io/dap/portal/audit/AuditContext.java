package io.dap.portal.audit;

import jakarta.enterprise.context.RequestScoped;

/**
 * What every audit entry of this request should carry without each caller passing it: set by
 * AccessPolicy when the request acts in an account its session impersonates the owner of (R10),
 * so each change there records the real user and the impersonated owner; and for an operator's
 * request (R21), in the console or acting as a user, so each entry says so and names both people.
 */
@RequestScoped
public class AuditContext {

    private Long accountId;
    private Long onBehalfOfId;
    private String onBehalfOfEmail;
    private boolean operator;
    private Long operatorId;
    private String operatorEmail;
    private Long actingAsId;
    private String actingAsEmail;

    public void impersonating(Long accountId, Long ownerId, String ownerEmail) {
        this.accountId = accountId;
        this.onBehalfOfId = ownerId;
        this.onBehalfOfEmail = ownerEmail;
    }

    /** An operator's request in the console (R21). */
    public void operator() {
        this.operator = true;
    }

    /**
     * An operator acting as a user for support (R21): the request runs as the user, so what it
     * records as the user's doing is recorded as the operator's, on behalf of the user. That puts
     * it in the user's security log and in the log of every account it happened in, with both names.
     */
    public void actingAsUser(Long operatorId, String operatorEmail, Long userId, String userEmail) {
        this.operator = true;
        this.operatorId = operatorId;
        this.operatorEmail = operatorEmail;
        this.actingAsId = userId;
        this.actingAsEmail = userEmail;
    }

    /** Marks an event happening in the impersonated account (or in no account at all). */
    void mark(AuditEvent event) {
        if (operator) {
            event.byOperator = true;
        }
        if (actingAsId != null) {
            if (event.userId == null || event.userId.equals(actingAsId)) {
                event.userId = operatorId;
                event.userEmail = operatorEmail;
            }
            if (event.onBehalfOfId == null) {
                event.onBehalfOfId = actingAsId;
                event.onBehalfOfEmail = actingAsEmail;
            }
            return;
        }
        if (onBehalfOfId != null && event.onBehalfOfId == null
                && (event.accountId == null || event.accountId.equals(accountId))) {
            event.onBehalfOfId = onBehalfOfId;
            event.onBehalfOfEmail = onBehalfOfEmail;
        }
    }
}
