package io.dap.portal.access;

/**
 * A condition an account's owner puts on the people acting in it, checked by AccessPolicy once it
 * knows the actor has rights there (the owner's two-factor requirement, R19). Owned here, so that
 * the feature implementing it stays above access; an implementation refuses by throwing.
 */
public interface AccountCondition {

    void check(Long accountId, String accountName, Long ownerId, Long actorId, String actorEmail);
}
