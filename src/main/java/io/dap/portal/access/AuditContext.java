package io.dap.portal.access;

import jakarta.enterprise.context.RequestScoped;

/**
 * On whose behalf this request acts, for every audit entry it writes without each caller passing
 * it: set by AccessPolicy when the request acts in an account its session impersonates the owner
 * of (R10), so each change there records the real user and the impersonated owner; and for an
 * operator's request (R21), in the console or acting as a user, so each entry says so and names
 * both people. The audit log reads it; this class knows nothing of audit entries.
 */
@RequestScoped
public class AuditContext {

    /** The owner being impersonated, as an audit entry names them. */
    public record OnBehalfOf(Long ownerId, String ownerEmail) {
    }

    /** An operator acting as a user for support (R21). */
    public record ActingAs(Long operatorId, String operatorEmail, Long userId, String userEmail) {
    }

    private boolean operator;
    private ActingAs actingAs;
    private Long accountId;
    private Long onBehalfOfId;
    private String onBehalfOfEmail;

    public void impersonating(Long accountId, Long ownerId, String ownerEmail) {
        this.accountId = accountId;
        this.onBehalfOfId = ownerId;
        this.onBehalfOfEmail = ownerEmail;
    }

    /**
     * The impersonated owner an event of this account carries (an event in no account at all
     * carries them too), or null when the request impersonates nobody there.
     */
    public OnBehalfOf onBehalfOf(Long eventAccountId) {
        if (onBehalfOfId != null && (eventAccountId == null || eventAccountId.equals(accountId))) {
            return new OnBehalfOf(onBehalfOfId, onBehalfOfEmail);
        }
        return null;
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
        this.actingAs = new ActingAs(operatorId, operatorEmail, userId, userEmail);
    }

    /** Whether an operator makes this request: every entry it writes is marked as theirs. */
    public boolean byOperator() {
        return operator;
    }

    /** The support session this request runs in, or null. */
    public ActingAs actingAs() {
        return actingAs;
    }
}
