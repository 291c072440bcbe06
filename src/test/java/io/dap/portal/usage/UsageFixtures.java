package io.dap.portal.usage;

import java.time.Instant;

import io.dap.portal.account.Account;
import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Usage history written straight into the tables, each row in its own transaction, so these tests
 * do not depend on the infrastructure pages or on deploying.
 */
public final class UsageFixtures {

    private UsageFixtures() {
    }

    public static Long accountOf(User user) {
        return QuarkusTransaction.requiringNew().call(() -> Account.idOwnedBy(user.id));
    }

    public static Long infrastructure(Long accountId, User creator, String label, Instant createdAt) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Infrastructure infrastructure = new Infrastructure();
            infrastructure.account = Account.findById(accountId);
            infrastructure.label = label;
            infrastructure.description = "";
            infrastructure.status = Infrastructure.Status.DEPLOYED;
            infrastructure.createdBy = User.findById(creator.id);
            infrastructure.createdAt = createdAt;
            infrastructure.deployedAt = createdAt;
            infrastructure.persist();
            return infrastructure.id;
        });
    }

    /** Charges an infrastructure to a department (null: none). */
    public static void department(Long infrastructureId, String department) {
        QuarkusTransaction.requiringNew().run(
                () -> Infrastructure.<Infrastructure>findById(infrastructureId).department = department);
    }

    /** Soft-deletes an infrastructure the way the product does: the row and its drives stay. */
    public static void deleteInfrastructure(Long infrastructureId, Instant at) {
        QuarkusTransaction.requiringNew().run(() -> {
            Infrastructure infrastructure = Infrastructure.findById(infrastructureId);
            infrastructure.status = Infrastructure.Status.DELETED;
            infrastructure.deletedAt = at;
        });
    }

    /** A drive provisioned by {@code deployer} at {@code provisionedAt}, deleted at {@code deletedAt} (or running when null). */
    public static Long drive(Long infrastructureId, User deployer, String label, int sizeGb, Instant provisionedAt,
            Instant deletedAt) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Drive drive = new Drive();
            drive.infrastructure = Infrastructure.findById(infrastructureId);
            drive.label = label;
            drive.sizeGb = sizeGb;
            drive.status = deletedAt == null ? Drive.Status.RUNNING : Drive.Status.DELETED;
            drive.createdAt = provisionedAt;
            drive.provisionedAt = provisionedAt;
            drive.provisionedBy = User.findById(deployer.id);
            drive.deletedAt = deletedAt;
            drive.persist();
            return drive.id;
        });
    }

    /** Added but never deployed: accrues nothing. */
    public static Long pendingDrive(Long infrastructureId, String label, int sizeGb, Instant createdAt) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Drive drive = new Drive();
            drive.infrastructure = Infrastructure.findById(infrastructureId);
            drive.label = label;
            drive.sizeGb = sizeGb;
            drive.status = Drive.Status.PENDING;
            drive.createdAt = createdAt;
            drive.persist();
            return drive.id;
        });
    }
}
