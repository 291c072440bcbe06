package io.dap.portal.access;

import jakarta.enterprise.context.RequestScoped;

/**
 * On whose behalf this request acts, for every audit entry it writes without each caller passing
 * it: set by AccessPolicy when the request acts in an account its session impersonates the owner
 * of (R10), so each change there records the real user and the impersonated owner.
 */
@RequestScoped
public class AuditContext {

    /** The owner being impersonated, as an audit entry names them. */
    public record OnBehalfOf(Long ownerId, String ownerEmail) {
    }

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
}
