package io.dap.portal.sharing;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.dap.portal.access.Grant;
import io.dap.portal.account.Account;
import io.dap.portal.invitation.Invitation;
import io.dap.portal.user.AddressProved;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;

/**
 * Pending invitations follow the proved address only: when a user proves an address an
 * unactivated placeholder held (by changing their email to it), the placeholder's grants become
 * theirs. A pending one that would give them their own account, or access they already hold or
 * wait for there, is cancelled instead.
 */
@ApplicationScoped
public class PlaceholderGrants {

    @Inject
    TimeSource time;

    void onAddressProved(@Observes AddressProved proved) {
        Instant now = time.now();
        Long ownAccount = Account.idOwnedBy(proved.userId());
        User prover = User.findById(proved.userId());
        List<Grant> grants = Grant.list("grantee.id = ?1 order by id", proved.placeholderId());
        for (Grant grant : grants) {
            boolean clash = grant.account.id.equals(ownAccount) || Grant.findStanding(grant.account.id, grant.scope,
                    grant.infrastructure == null ? null : grant.infrastructure.id, prover.id, now) != null;
            if (grant.status == Grant.Status.PENDING && clash) {
                grant.status = Grant.Status.CANCELLED;
                grant.revokedAt = now;
                Invitation.supersedeAll(grant.id, now);
            }
            grant.grantee = prover;
        }
        Grant.flush();
    }
}
