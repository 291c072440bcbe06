package io.dap.portal.sharing;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Grant;
import io.dap.portal.access.Permissions;
import io.dap.portal.access.Role;
import io.dap.portal.account.Drive;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.sshkey.DriveKey;
import io.dap.portal.user.User;
import io.dap.portal.web.InList;
import io.dap.portal.web.TimeSource;

/**
 * SSH keys left on running drives by people who no longer hold a right that carries them (R11):
 * found per account or infrastructure, and taken off on request, each removal audited.
 */
@ApplicationScoped
public class DriveKeyCleanup {

    @Inject
    TimeSource time;

    @Inject
    AuditLog audit;

    public record KeyOnDrive(Long driveKeyId, Long driveId, Long userId, String userEmail,
            String infrastructureLabel, String driveLabel, String fingerprint) {
    }

    /**
     * Running drives of the account (or of one infrastructure) carrying SSH keys of people who are
     * no longer entitled to them: neither the owner nor an active Administrator covering that
     * infrastructure (R11). With {@code userId}, only that person's keys.
     */
    @Transactional
    public List<KeyOnDrive> formerKeys(Shared shared, Long userId, Collection<Long> ignoringGrantIds) {
        InList roles = InList.of("role", Permissions.keyCarryingRoles());
        Map<String, Object> parameters = roles.putInto(new HashMap<>());
        parameters.put("running", Drive.Status.RUNNING);
        parameters.put("account", shared.accountId());
        parameters.put("now", time.now());
        parameters.put("accountWide", Role.Scope.ACCOUNT);
        // From the keys installed in the account (its own index), not from every infrastructure and
        // drive; whether someone still covers a key is asked of the grants index per key's holder,
        // in the same statement, rather than by reading every Administrator grant of the account
        // (ten thousand of them made the Sharing page cost what the account holds).
        String query = "select k from DriveKey k join fetch k.user u join fetch k.drive d join fetch d.infrastructure i"
                + " join i.account a where k.accountId = :account and k.removedAt is null and d.status = :running"
                + " and u.id <> a.owner.id and not exists (select g.id from Grant g where g.account.id = :account"
                + " and g.grantee.id = u.id and " + Grant.activeAt("g", ":now") + " and g.role in " + roles.sql()
                + " and (g.scope = :accountWide or g.infrastructure.id = i.id)";
        if (!ignoringGrantIds.isEmpty()) {
            InList ignoring = InList.of("ignoring", ignoringGrantIds);
            query += " and g.id not in " + ignoring.sql();
            ignoring.putInto(parameters);
        }
        query += ")";
        if (shared.infrastructureId() != null) {
            query += " and i.id = :infrastructure";
            parameters.put("infrastructure", shared.infrastructureId());
        }
        if (userId != null) {
            query += " and u.id = :user";
            parameters.put("user", userId);
        }
        return DriveKey.<DriveKey>list(query + " order by u.email, i.label, d.label", parameters).stream()
                .map(k -> new KeyOnDrive(k.id, k.drive.id, k.user.id, k.user.email, k.drive.infrastructure.label,
                        k.drive.label, k.fingerprint))
                .toList();
    }

    /** Takes a former delegate's keys off every drive they are no longer entitled to; recorded per drive. */
    @Transactional
    public int removeFormerKeys(AccountAccess access, Shared shared, Long userId) {
        List<KeyOnDrive> keys = formerKeys(shared, userId, List.of());
        Instant now = time.now();
        User remover = User.findById(access.actor().userId());
        for (KeyOnDrive key : keys) {
            DriveKey row = DriveKey.findById(key.driveKeyId());
            row.removedAt = now;
            row.removedBy = remover;
            audit.inAccount(access.accountId(), access.actor().userId(), access.actor().email(),
                    AuditAction.SSH_KEY_REMOVED_FROM_DRIVE, Outcome.SUCCESS,
                    "drive " + row.drive.id + " (" + key.infrastructureLabel() + " / " + key.driveLabel() + ")",
                    key.userEmail() + " " + key.fingerprint());
        }
        return keys.size();
    }
}
