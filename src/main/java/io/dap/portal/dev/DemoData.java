package io.dap.portal.dev;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.billing.InvoiceService;
import io.dap.portal.invitation.Invitation;
import io.dap.portal.pages.session.LoginResource;
import io.dap.portal.sshkey.DriveKey;
import io.dap.portal.sshkey.SshKey;
import io.dap.portal.sshkey.SshKeyException;
import io.dap.portal.sshkey.SshPublicKey;
import io.dap.portal.user.Passwords;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.Tokens;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.narayana.jta.QuarkusTransaction;
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

    static final String MKTG = "mktg@example.com";
    static final String LOGISTICS = "logistics@example.com";
    static final String BI = "bi@example.com";
    static final String ACCOUNTANT = "accountant@example.com";
    static final String AUDITOR = "auditor@example.com";

    /** Address, display name, and the placeholder name earlier versions gave (replaced if still there). */
    static final String[][] PEOPLE = {
            { FINANCE, "Fiona Marsh", "Finance (Acme Corp)" },
            { OPS, "Oscar Patel", "Operations" },
            { MKTG, "Maya Lindqvist", "Marketing" },
            { LOGISTICS, "Luca Romano", "Logistics" },
            { BI, "Bea Kowalski", "Business Intelligence" },
            { ACCOUNTANT, "Ada Brooks", "" },
            // The hosting company's support (R21): an operator in dev mode (portal.operators), who sets
            // up two-factor sign-in on first use of the console.
            { "support@example.com", "Sam Support", "" },
    };

    /** DESIGN §5 step 3: ops shares single infrastructures (infrastructure Administrators). */
    static final String[][] INFRASTRUCTURE_GRANTS = {
            { MKTG, "Web" },
            { LOGISTICS, "ERP" },
            { BI, "Hadoop" },
            { BI, "ERP" },
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
            { "Web staging", "Marketing", "12", "staging:50" },
            { "Sandbox", "Experiments", "5", "scratch:20" },
    };

    /** The cost centres the usage report groups by; Sandbox has none, so "No department" shows too. */
    static final Map<String, String> DEPARTMENTS = Map.of("Web", "CC-410 Marketing", "Web staging", "CC-410 Marketing",
            "Hadoop", "CC-220 Business Intelligence", "ERP", "CC-310 Logistics");

    @Inject
    Passwords passwords;

    @Inject
    TimeSource time;

    @Inject
    InvoiceService invoices;

    @Transactional
    void seed(@Observes StartupEvent start) throws SshKeyException {
        Instant now = time.now();
        int added = 0;
        for (String[] person : PEOPLE) {
            User.findByEmail(person[0]).filter(u -> u.displayName.equals(person[2]))
                    .ifPresent(u -> u.displayName = person[1]);
            if (User.findByEmail(person[0]).isEmpty()) {
                User user = new User();
                user.email = person[0];
                user.displayName = person[1];
                user.passwordHash = passwords.hash(LoginResource.DEMO_PASSWORD);
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
        if (financeAccount.displayName.equals(finance.displayName)) {
            // The company's account, so every delegate's switch menu says whose account it is.
            financeAccount.displayName = "Acme Corp";
            financeAccount.colour = "#0f766e";
        }
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
        // DESIGN §5: ops is finance's account delegate (Administrator).
        accountGrant(financeAccount, finance, ops, Role.ACCOUNT_ADMINISTRATOR, "Operations team", now, 85);
        if (Infrastructure.count("account", financeAccount) == 0) {
            seedInfrastructures(financeAccount, ops, now);
            added++;
        } else if (Infrastructure.count("account = ?1 and department is not null", financeAccount) == 0) {
            // Seeded before infrastructures had departments.
            DEPARTMENTS.forEach((label, department) -> Infrastructure.update(
                    "department = ?1 where account = ?2 and label = ?3", department, financeAccount, label));
        }
        // Databases seeded by an earlier version have the infrastructures without these grants.
        for (String[] shared : INFRASTRUCTURE_GRANTS) {
            User grantee = User.findByEmail(shared[0]).orElseThrow();
            Infrastructure infrastructure = Infrastructure.find("account = ?1 and label = ?2", financeAccount, shared[1])
                    .firstResult();
            if (infrastructure != null && Grant.count("infrastructure = ?1 and grantee = ?2", infrastructure, grantee) == 0) {
                grant(financeAccount, infrastructure, grantee, Role.INFRASTRUCTURE_ADMINISTRATOR,
                        infrastructure.description + " team", ops, now).persist();
            }
        }
        // An external accountant handles the bills (Billing), and an auditor has not answered yet.
        accountGrant(financeAccount, finance, User.findByEmail(ACCOUNTANT).orElseThrow(), Role.ACCOUNT_BILLING,
                "External accountant", now, 30);
        pendingInvitation(financeAccount, finance, AUDITOR, Role.ACCOUNT_READ_ONLY, "Year-end audit", now);
        if (added > 0) {
            LOG.infof("Demo data added; every demo user's password is %s", LoginResource.DEMO_PASSWORD);
        }
    }

    /**
     * The demo's past months are billed at once, as the nightly job would have done; after
     * {@link #seed}, whose transaction must have committed the drives first.
     */
    void issueDemoInvoices(@Observes @Priority(3000) StartupEvent start) {
        Long accountId = QuarkusTransaction.requiringNew().call(() -> Account.findByOwner(
                User.findByEmail(FINANCE).orElseThrow().id).orElseThrow().id);
        invoices.issueDue(accountId);
    }

    private static void accountGrant(Account account, User owner, User grantee, Role role, String label, Instant now,
            int daysAgo) {
        if (Grant.count("account = ?1 and grantee = ?2 and scope = ?3", account, grantee, Role.Scope.ACCOUNT) == 0) {
            grant(account, null, grantee, role, label, owner, now.minus(Duration.ofDays(daysAgo))).persist();
        }
    }

    private static Grant grant(Account account, Infrastructure infrastructure, User grantee, Role role, String label,
            User invitedBy, Instant at) {
        Grant grant = new Grant();
        grant.account = account;
        grant.scope = role.scope();
        grant.infrastructure = infrastructure;
        grant.grantee = grantee;
        grant.role = role;
        grant.status = Grant.Status.ACCEPTED;
        grant.label = label;
        grant.invitedBy = invitedBy;
        grant.invitedAt = at;
        grant.respondedAt = at.plus(Duration.ofHours(1));
        return grant;
    }

    /** An invitation nobody can answer in dev (its token was never kept), shown as Pending for a week. */
    private static void pendingInvitation(Account account, User owner, String email, Role role, String label,
            Instant now) {
        if (User.findByEmail(email).isPresent()) {
            return;
        }
        User invitee = new User();
        invitee.email = email;
        invitee.displayName = email.substring(0, email.indexOf('@'));
        invitee.status = User.Status.PENDING_ACTIVATION;
        invitee.createdAt = now;
        invitee.persist();
        Account.openFor(invitee, now);
        Grant grant = grant(account, null, invitee, role, label, owner, now);
        grant.status = Grant.Status.PENDING;
        grant.respondedAt = null;
        grant.persist();
        Invitation invitation = new Invitation();
        invitation.grant = grant;
        invitation.tokenHash = Tokens.sha256(Tokens.newToken());
        invitation.createdAt = now;
        invitation.expiresAt = now.plus(Duration.ofDays(7));
        invitation.persist();
    }

    /**
     * Created and deployed by ops, owned and paid for by finance (DESIGN §5). ops shared each one
     * before deploying it, so the drives carry the keys of finance, ops and the infrastructure's
     * Administrators (R11).
     */
    private static void seedInfrastructures(Account owner, User ops, Instant now) {
        for (String[] spec : INFRASTRUCTURES) {
            Instant deployed = now.minus(Duration.ofDays(Long.parseLong(spec[2])));
            Infrastructure infrastructure = new Infrastructure();
            infrastructure.account = owner;
            infrastructure.label = spec[0];
            infrastructure.description = spec[1];
            infrastructure.department = DEPARTMENTS.get(spec[0]);
            infrastructure.status = Infrastructure.Status.DEPLOYED;
            infrastructure.createdBy = ops;
            infrastructure.createdAt = deployed.minus(Duration.ofHours(2));
            infrastructure.deployedAt = deployed;
            infrastructure.persist();
            List<Long> keyHolders = new java.util.ArrayList<>(List.of(owner.owner.id, ops.id));
            for (String[] shared : INFRASTRUCTURE_GRANTS) {
                if (shared[1].equals(spec[0])) {
                    User grantee = User.findByEmail(shared[0]).orElseThrow();
                    grant(owner, infrastructure, grantee, Role.INFRASTRUCTURE_ADMINISTRATOR, spec[1] + " team", ops,
                            infrastructure.createdAt.plus(Duration.ofMinutes(30))).persist();
                    keyHolders.add(grantee.id);
                }
            }
            List<SshKey> keys = SshKey.ofUsers(keyHolders);
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
                for (SshKey key : keys) {
                    DriveKey.snapshot(row, key, deployed).persist();
                }
            }
        }
    }
}
