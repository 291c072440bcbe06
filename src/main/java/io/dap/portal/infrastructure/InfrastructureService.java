package io.dap.portal.infrastructure;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.account.Account;
import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.sshkey.DriveKey;
import io.dap.portal.sshkey.SshKey;
import io.dap.portal.user.User;
import io.dap.portal.web.InList;
import io.dap.portal.web.Page;
import io.dap.portal.web.TimeSource;
import io.quarkus.hibernate.orm.panache.Panache;

/**
 * Infrastructures and their drives. Callers have already asked AccessPolicy; this enforces the
 * rules that hold whoever acts: ownership by the acting account (R7), the billable-owner check
 * inside the deploy transaction (R7) and the SSH-key snapshot at provisioning (R11).
 */
@ApplicationScoped
public class InfrastructureService {

    @Inject
    TimeSource time;

    @Inject
    AuditLog audit;

    @Inject
    AccessPolicy policy;

    /**
     * One page of the acting account's live infrastructures by name, counted (for the API, whose
     * pages carry a total): two statements whatever the data size.
     */
    @Transactional
    public Page<InfrastructureRow> page(AccountAccess access, String search, int requestedPage, int size) {
        return page(access, search, requestedPage, size, true);
    }

    /**
     * The same page for the list page, not counted: read in the order of the account's label
     * index, it costs the rows shown, whatever the account holds. One statement.
     */
    @Transactional
    public Page<InfrastructureRow> slice(AccountAccess access, String search, int requestedPage, int size) {
        return page(access, search, requestedPage, size, false);
    }

    private Page<InfrastructureRow> page(AccountAccess access, String search, int requestedPage, int size,
            boolean counted) {
        String text = search == null ? "" : search.strip().toLowerCase(Locale.ROOT);
        if (!access.rights().accountWide() && access.rights().infrastructureIds().isEmpty()) {
            return Page.slice(List.of(), 1, size, false);
        }
        InList visible = access.rights().accountWide() ? null
                : InList.of("visible", access.rights().infrastructureIds());
        String where = " from Infrastructure i where i.account.id = :account and i.status <> :deleted"
                + (text.isEmpty() ? "" : " and lower(i.label) like :search escape '\\'")
                + (visible == null ? "" : " and i.id in " + visible.sql());
        var em = Panache.getEntityManager();
        TypedQuery<Long> count = em.createQuery("select count(i)" + where, Long.class);
        TypedQuery<InfrastructureRow> rows = em.createQuery("select new io.dap.portal.infrastructure.InfrastructureRow("
                + "i.id, i.label, i.description, i.department, i.status, u.displayName, i.createdAt,"
                + " (select count(d) from Drive d where d.infrastructure = i and d.status <> :deletedDrive),"
                + " (select count(p) from Drive p where p.infrastructure = i and p.status = :pending),"
                + " i.deployedAt)"
                + where.replace("from Infrastructure i", "from Infrastructure i join i.createdBy u")
                + " order by i.account.id, i.label, i.id", InfrastructureRow.class);
        for (TypedQuery<?> query : List.<TypedQuery<?>>of(count, rows)) {
            query.setParameter("account", access.accountId());
            query.setParameter("deleted", Infrastructure.Status.DELETED);
            if (!text.isEmpty()) {
                query.setParameter("search", Page.containsPattern(text));
            }
            if (visible != null) {
                visible.bind(query);
            }
        }
        rows.setParameter("deletedDrive", Drive.Status.DELETED);
        rows.setParameter("pending", Drive.Status.PENDING);
        if (!counted) {
            int number = Math.max(1, requestedPage);
            List<InfrastructureRow> items = rows.setFirstResult((number - 1) * size).setMaxResults(size + 1)
                    .getResultList();
            return Page.slice(items.stream().limit(size).toList(), number, size, items.size() > size);
        }
        long total = count.getSingleResult();
        int number = Page.clampNumber(requestedPage, total, size);
        List<InfrastructureRow> items = rows.setFirstResult((number - 1) * size).setMaxResults(size).getResultList();
        return new Page<>(items, number, size, total);
    }

    /** The editor's content: the infrastructure, its live drives and whether the owner can deploy now. */
    @Transactional
    public InfrastructureView view(AccountAccess access, Long infrastructureId) {
        Infrastructure infrastructure = Infrastructure.find("select i from Infrastructure i join fetch i.createdBy"
                + " where i.id = ?1", infrastructureId).firstResult();
        return InfrastructureView.of(infrastructure, Drive.liveOf(infrastructureId), access.path());
    }

    /** How many departments the forms suggest; typing another one is always possible. */
    static final int SUGGESTED_DEPARTMENTS = 50;

    /**
     * The departments the account's infrastructures already use, suggested by the forms so one
     * department keeps one spelling (the report groups by the exact text). One statement.
     */
    @Transactional
    public List<String> departments(AccountAccess access) {
        return Panache.getEntityManager().createQuery("select distinct i.department from Infrastructure i"
                + " where i.account.id = :account and i.department is not null order by i.department", String.class)
                .setParameter("account", access.accountId()).setMaxResults(SUGGESTED_DEPARTMENTS).getResultList();
    }

    @Transactional
    public boolean ownerBillable(AccountAccess access) {
        Account owner = Account.findById(access.accountId());
        return owner.isBillable(YearMonth.from(time.now().atZone(ZoneOffset.UTC)));
    }

    /** Created while acting in an account, it belongs to that account; the creator is the real user (R7). */
    @Transactional
    public Infrastructure create(AccountAccess access, String label, String description, String department) {
        Infrastructure infrastructure = new Infrastructure();
        infrastructure.account = Account.getEntityManager().getReference(Account.class, access.accountId());
        infrastructure.label = label;
        infrastructure.description = description;
        infrastructure.department = department;
        infrastructure.status = Infrastructure.Status.DRAFT;
        infrastructure.createdBy = User.getEntityManager().getReference(User.class, access.actor().userId());
        infrastructure.createdAt = time.now();
        infrastructure.persist();
        record(access, AuditAction.INFRASTRUCTURE_CREATED, infrastructure,
                department == null ? null : "department " + department);
        return infrastructure;
    }

    /**
     * Name, description and department are one change, made by whoever may rename it
     * (EDIT_INFRASTRUCTURE). A caller that did not send a department (an API script written before
     * there was one) leaves it as it is.
     */
    @Transactional
    public void update(AccountAccess access, Long infrastructureId, String label, String description,
            String department) {
        update(access, infrastructureId, label, description, department, true);
    }

    /** The same change keeping the department as it is. */
    @Transactional
    public void update(AccountAccess access, Long infrastructureId, String label, String description) {
        update(access, infrastructureId, label, description, null, false);
    }

    private void update(AccountAccess access, Long infrastructureId, String label, String description,
            String department, boolean setDepartment) {
        Infrastructure infrastructure = live(access, infrastructureId);
        String before = infrastructure.department;
        infrastructure.label = label;
        infrastructure.description = description;
        if (setDepartment) {
            infrastructure.department = department;
        }
        // The department decides who is charged for it, so the log says what it was and what it became.
        String after = infrastructure.department;
        String change = Objects.equals(before, after) ? null
                : "department " + (before == null ? "none" : before) + " → " + (after == null ? "none" : after);
        record(access, AuditAction.INFRASTRUCTURE_UPDATED, infrastructure, change);
    }

    /** Soft delete: drives stop accruing usage now; the rows stay for the usage history and invoices. */
    @Transactional
    public void delete(AccountAccess access, Long infrastructureId) {
        Infrastructure infrastructure = live(access, infrastructureId);
        Instant now = time.now();
        infrastructure.status = Infrastructure.Status.DELETED;
        infrastructure.deletedAt = now;
        Drive.update("status = ?1, deletedAt = ?2 where infrastructure.id = ?3 and status <> ?1",
                Drive.Status.DELETED, now, infrastructure.id);
        record(access, AuditAction.INFRASTRUCTURE_DELETED, infrastructure, null);
    }

    @Transactional
    public Drive addDrive(AccountAccess access, Long infrastructureId, String label, int sizeGb) {
        Infrastructure infrastructure = live(access, infrastructureId);
        Drive drive = new Drive();
        drive.infrastructure = infrastructure;
        drive.label = label;
        drive.sizeGb = sizeGb;
        drive.status = Drive.Status.PENDING;
        drive.createdAt = time.now();
        drive.persist();
        record(access, AuditAction.DRIVE_ADDED, infrastructure, drive.label + " (" + sizeGb + " GB)");
        return drive;
    }

    public enum DriveChange { SAVED, NOT_FOUND, RUNNING_SIZE_FIXED }

    /** A running drive keeps its size (it is left as it is, DESIGN); only a pending one can be resized. */
    @Transactional
    public DriveChange updateDrive(AccountAccess access, Long infrastructureId, Long driveId, String label,
            int sizeGb) {
        Infrastructure infrastructure = live(access, infrastructureId);
        Drive drive = liveDrive(infrastructure, driveId);
        if (drive == null) {
            return DriveChange.NOT_FOUND;
        }
        if (drive.status == Drive.Status.RUNNING && drive.sizeGb != sizeGb) {
            return DriveChange.RUNNING_SIZE_FIXED;
        }
        drive.label = label;
        drive.sizeGb = sizeGb;
        record(access, AuditAction.DRIVE_UPDATED, infrastructure, drive.label);
        return DriveChange.SAVED;
    }

    @Transactional
    public boolean removeDrive(AccountAccess access, Long infrastructureId, Long driveId) {
        Infrastructure infrastructure = live(access, infrastructureId);
        Drive drive = liveDrive(infrastructure, driveId);
        if (drive == null) {
            return false;
        }
        drive.status = Drive.Status.DELETED;
        drive.deletedAt = time.now();
        record(access, AuditAction.DRIVE_REMOVED, infrastructure, drive.label);
        return true;
    }

    public sealed interface DeployResult {
    }

    public record Deployed(int provisioned) implements DeployResult {
    }

    public record NothingToDeploy() implements DeployResult {
    }

    public record OwnerNotBillable(String ownerEmail) implements DeployResult {

        public String message() {
            return ownerEmail + " must add billing information before this infrastructure can be deployed.";
        }
    }

    /**
     * Deploys every drive not yet provisioned. The owner account's billing is checked inside this
     * transaction, with the account row locked, so a payment method removed at the same moment
     * either happens before (deploy refused) or after (deploy done) — never half (R7).
     */
    @Transactional
    public DeployResult deploy(AccountAccess access, Long infrastructureId) {
        Account owner = Account.findById(access.accountId(), LockModeType.PESSIMISTIC_WRITE);
        Infrastructure infrastructure = Infrastructure.findById(infrastructureId, LockModeType.PESSIMISTIC_WRITE);
        if (infrastructure == null || infrastructure.status == Infrastructure.Status.DELETED
                || !infrastructure.account.id.equals(owner.id)) {
            throw new jakarta.ws.rs.NotFoundException();
        }
        Instant now = time.now();
        if (!owner.isBillable(YearMonth.from(now.atZone(ZoneOffset.UTC)))) {
            audit.inAccount(access.accountId(), access.actor().userId(), access.actor().email(),
                    AuditAction.DEPLOY_REFUSED, Outcome.REFUSED, target(infrastructure), "owner not billable");
            return new OwnerNotBillable(owner.owner.email);
        }
        List<Drive> pending = Drive.list("infrastructure.id = ?1 and status = ?2 order by id", infrastructure.id,
                Drive.Status.PENDING);
        if (pending.isEmpty() && infrastructure.status == Infrastructure.Status.DEPLOYED) {
            return new NothingToDeploy();
        }
        List<SshKey> keys = SshKey.ofUsers(policy.sshKeyHolders(infrastructure));
        User deployer = User.getEntityManager().getReference(User.class, access.actor().userId());
        for (Drive drive : pending) {
            drive.status = Drive.Status.RUNNING;
            drive.provisionedAt = now;
            drive.provisionedBy = deployer;
            for (SshKey key : keys) {
                DriveKey.snapshot(drive, key, now).persist();
            }
        }
        infrastructure.status = Infrastructure.Status.DEPLOYED;
        infrastructure.deployedAt = now;
        record(access, AuditAction.INFRASTRUCTURE_DEPLOYED, infrastructure, pending.size() + " drives provisioned");
        return new Deployed(pending.size());
    }

    private Infrastructure live(AccountAccess access, Long infrastructureId) {
        return Infrastructure.findLive(access.accountId(), infrastructureId)
                .orElseThrow(jakarta.ws.rs.NotFoundException::new);
    }

    private static Drive liveDrive(Infrastructure infrastructure, Long driveId) {
        Drive drive = Drive.findById(driveId);
        return drive == null || !drive.infrastructure.id.equals(infrastructure.id)
                || drive.status == Drive.Status.DELETED ? null : drive;
    }

    private void record(AccountAccess access, AuditAction action, Infrastructure infrastructure, String detail) {
        audit.inAccount(access.accountId(), access.actor().userId(), access.actor().email(), action, Outcome.SUCCESS,
                target(infrastructure), detail);
    }

    private static String target(Infrastructure infrastructure) {
        return "infrastructure " + infrastructure.id + " (" + infrastructure.label + ")";
    }
}
