package io.dap.portal.twofactor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.access.AccountCondition;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditLog;

/**
 * R19, the owner's requirement: a delegate without a second factor gets nothing in that account
 * but the way to enrol. Asked once per request into an account, by AccessPolicy, for delegates only.
 */
@ApplicationScoped
public class TwoFactorGate implements AccountCondition {

    @Inject
    AuditLog audit;

    /**
     * Refuses (403, audited) when the account's owner requires a second factor this user lacks;
     * the owner themself is never refused in their own account.
     */
    @Override
    @Transactional
    public void check(Long accountId, String accountName, Long ownerId, Long delegateId, String delegateEmail) {
        if (!ownerId.equals(delegateId) && TwoFactorRequirement.blocks(accountId, delegateId)) {
            audit.recordRefusal(delegateId, delegateEmail, accountId, AuditAction.ACCESS_FORBIDDEN,
                    "account " + accountId + " (two-factor sign-in required)");
            throw new TwoFactorRequiredException(accountName);
        }
    }
}
