package io.dap.portal.dev;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.infrastructure.Drive;
import io.dap.portal.infrastructure.Infrastructure;
import io.dap.portal.session.LoginResource;
import io.dap.portal.sharing.Grant;
import io.dap.portal.sshkey.DriveKey;
import io.dap.portal.sshkey.SshKey;
import io.dap.portal.sshkey.SshKeyException;
import io.dap.portal.sshkey.SshPublicKey;
import io.dap.portal.user.User;
import io.dap.portal.user.UserService;
import io.dap.portal.web.TimeSource;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;

/**
 * Development only: the demo organisation of DESIGN.md §5. Adds what is missing and never
 * deletes or overwrites anything, so restarting dev mode keeps whatever was changed by hand.
 */
@IfBuildProfile("dev")
public class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class);

    static final String FINANCE = "finance@example.com";
    static final String OPS = "ops@example.com";

    static final String[][] PEOPLE = {
            { FINANCE, "Finance (Acme Corp)" },
            { OPS, "Operations" },
            { "mktg@example.com", "Marketing" },
            { "logistics@example.com", "Logistics" },
            { "bi@example.com", "Business Intelligence" },
    };

    /** Public halves of throwaway demo keys (their private halves were never kept). */
    static final String[][] KEYS = {
            { FINANCE, "finance laptop",
                    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKT2PTBWyMB/3IPZFnf5qfVwUmh7c5bPu8zOdGv0DEmb" },
            { OPS, "ops workstation",
                    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII7U97IM48v5ghThnguSyi+sDoWu55SljSLUMqRd8nIb" },
            { "bi@example.com", "bi analytics box",
                    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICOoOlV58Du89Jh+vWJab4MTsOpzXgdLfddnyBLP8Yq6" },
    };

    /** label, description, then drives as label:size, deployed this many days ago. */
    static final String[][] INFRASTRUCTURES = {
            { "Web", "Marketing", "70", "web-1:50", "web-2:50", "assets:200" },
            { "Hadoop", "Business Intelligence", "45", "namenode:100", "datanode-1:2000", "datanode-2:2000" },
            { "ERP", "Logistics", "20", "erp-db:500", "erp-app:80" },
    };

    @Inject
    UserService users;

    @Inject
    TimeSource time;

    @Transactional
    void seed(@Observes StartupEvent start) throws SshKeyException {
        Instant now = time.now();
        int added = 0;
        for (String[] person : PEOPLE) {
            if (User.findByEmail(person[0]).isEmpty()) {
                User user = new User();
                user.email = person[0];
                user.displayName = person[1];
                user.passwordHash = users.hash(LoginResource.DEMO_PASSWORD);
                user.status = User.Status.ACTIVE;
                user.createdAt = now.minus(Duration.ofDays(90));
                user.activatedAt = user.createdAt;
                user.passwordChangedAt = user.createdAt;
                user.persist();
                Account.openFor(user, user.createdAt);
                added++;
            }
        }
        for (String[] key : KEYS) {
            User user = User.findByEmail(key[0]).orElseThrow();
            if (SshKey.count("user", user) == 0) {
                SshPublicKey parsed = SshPublicKey.parse(key[2]);
                SshKey row = new SshKey();
                row.user = user;
                row.label = key[1];
                row.keyType = parsed.type();
                row.bits = parsed.bits();
                row.publicKey = parsed.canonical();
                row.fingerprint = parsed.fingerprintSha256();
                row.createdAt = now.minus(Duration.ofDays(80));
                row.persist();
            }
        }
        User finance = User.findByEmail(FINANCE).orElseThrow();
        Account financeAccount = Account.findByOwner(finance.id).orElseThrow();
        if (!financeAccount.hasPaymentMethod()) {
            financeAccount.billingName = "Acme Corp — Finance";
            financeAccount.billingAddress = "1 Market Street\n1000 Brussels\nBelgium";
            financeAccount.cardHolder = "Acme Corp";
            financeAccount.cardBrand = "Visa";
            financeAccount.cardLast4 = "4242";
            financeAccount.cardExpMonth = 12;
            financeAccount.cardExpYear = 2030;
            financeAccount.billingUpdatedAt = now;
        }
        User ops = User.findByEmail(OPS).orElseThrow();
        if (Grant.count("account = ?1 and grantee = ?2", financeAccount, ops) == 0) {
            // DESIGN §5: ops is finance's account delegate (Administrator).
            Grant grant = new Grant();
            grant.account = financeAccount;
            grant.scope = Role.Scope.ACCOUNT;
            grant.grantee = ops;
            grant.role = Role.ACCOUNT_ADMINISTRATOR;
            grant.status = Grant.Status.ACCEPTED;
            grant.label = "Operations team";
            grant.invitedBy = finance;
            grant.invitedAt = now.minus(Duration.ofDays(85));
            grant.respondedAt = now.minus(Duration.ofDays(84));
            grant.persist();
        }
        if (Infrastructure.count("account", financeAccount) == 0) {
            seedInfrastructures(financeAccount, List.of(finance.id, ops.id), ops, now);
            added++;
        }
        if (added > 0) {
            LOG.infof("Demo data added; every demo user's password is %s", LoginResource.DEMO_PASSWORD);
        }
    }

    /** Created and deployed by ops, owned and paid for by finance (DESIGN §5). */
    private static void seedInfrastructures(Account owner, List<Long> keyHolders, User ops, Instant now) {
        List<SshKey> ownerKeys = SshKey.ofUsers(keyHolders);
        for (String[] spec : INFRASTRUCTURES) {
            Instant deployed = now.minus(Duration.ofDays(Long.parseLong(spec[2])));
            Infrastructure infrastructure = new Infrastructure();
            infrastructure.account = owner;
            infrastructure.label = spec[0];
            infrastructure.description = spec[1];
            infrastructure.status = Infrastructure.Status.DEPLOYED;
            infrastructure.createdBy = ops;
            infrastructure.createdAt = deployed.minus(Duration.ofHours(2));
            infrastructure.deployedAt = deployed;
            infrastructure.persist();
            for (int i = 3; i < spec.length; i++) {
                String[] drive = spec[i].split(":");
                Drive row = new Drive();
                row.infrastructure = infrastructure;
                row.label = drive[0];
                row.sizeGb = Integer.parseInt(drive[1]);
                row.status = Drive.Status.RUNNING;
                row.createdAt = infrastructure.createdAt;
                row.provisionedAt = deployed;
                row.provisionedBy = ops;
                row.persist();
                for (SshKey key : ownerKeys) {
                    DriveKey.snapshot(row, key, deployed).persist();
                }
            }
        }
    }
}
