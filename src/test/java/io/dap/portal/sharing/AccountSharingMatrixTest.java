package io.dap.portal.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.sshkey.DriveKey;
import io.dap.portal.sshkey.SshKey;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * What an active account grant does (R1, R2, R3, R5, R6, R7, R9, R11, R15): every actor × action ×
 * account cell, the effects of a delegate's actions on the owner's account, and changes to a grant
 * that apply from the very next request. Grants are made the real way: invitation mail, accept.
 */
@QuarkusTest
class AccountSharingMatrixTest {

    /** 15 minutes before midnight UTC: a grant "until" today ends soon, before any session goes idle. */
    private static final Instant START = Instant.parse("2026-12-09T23:45:00Z");
    private static final String TODAY = "2026-12-09";
    private static final Duration PAST_MIDNIGHT = Duration.ofMinutes(20);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    Mailbox mailbox;

    private MutableClock clock;

    @BeforeEach
    void installClock() {
        mailbox.clear();
        clock = new MutableClock(START);
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
    }

    /** A signed-in user with their own account and one marker infrastructure in it, made once per test. */
    record Person(String name, User user, Long account, Browser browser, String marker) {

        String base() {
            return "/accounts/" + account;
        }
    }

    private Person person(String name, boolean billable) {
        User user = users.active(name);
        Long account = accounts.accountOf(user);
        if (billable) {
            accounts.makeBillable(account);
        }
        String marker = "Marker " + name + " " + SEQUENCE.incrementAndGet();
        accounts.infrastructure(account, user, marker);
        return new Person(name, user, account, new Browser().signIn(user.email, Users.PASSWORD), marker);
    }

    // ---------------------------------------------------------------------------------------------
    // 1. The matrix

    enum Access { OWNER, ADMINISTRATOR, BILLING, READ_ONLY, NONE }

    enum Act { LIST, CREATE, EDIT, DELETE, DEPLOY, VIEW_BILLING, CHANGE_BILLING, USAGE, SHARING }

    /**
     * Written out by hand from DESIGN R3, R5, R6 and R15, not read from Permissions: A allowed (and
     * the effect is there), F 403 with nothing changed, N 404 with nothing changed.
     */
    private static final Map<Access, String> EXPECTED = new EnumMap<>(Map.of(
            //                     LIST CREATE EDIT DELETE DEPLOY VIEW_BILLING CHANGE_BILLING USAGE SHARING
            Access.OWNER,         "A    A      A    A      A      A            A              A     A",
            Access.ADMINISTRATOR, "A    A      A    A      A      F            F              A     N",
            Access.BILLING,       "A    F      F    F      F      A            A              A     N",
            Access.READ_ONLY,     "A    F      F    F      F      F            F              A     N",
            Access.NONE,          "N    N      N    N      N      N            N              N     N"));

    record Row(String description, Person actor, Person accountOwner, Access access) {
    }

    @Test
    void everyActorGetsExactlyWhatItsGrantAllowsInEveryAccountAndNothingElse() {
        Person owner = person("owner", true);
        Person administrator = person("administrator", true);
        Person billing = person("billing", true);
        Person readOnly = person("read-only", true);
        Person revoked = person("revoked", true);
        Person expired = person("expired", true);
        Person pending = person("pending", true);
        Person ofDelegate = person("delegate-of-delegate", true);
        Person stranger = person("stranger", true);
        Long a = owner.account();

        grants.share(owner.browser(), a, administrator.browser(), administrator.user(), Role.ACCOUNT_ADMINISTRATOR);
        grants.share(owner.browser(), a, billing.browser(), billing.user(), Role.ACCOUNT_BILLING);
        grants.share(owner.browser(), a, readOnly.browser(), readOnly.user(), Role.ACCOUNT_READ_ONLY);
        Long revokedGrant = grants.share(owner.browser(), a, revoked.browser(), revoked.user(),
                Role.ACCOUNT_ADMINISTRATOR);
        grants.share(owner.browser(), a, expired.browser(), expired.user(), Role.ACCOUNT_ADMINISTRATOR, TODAY);
        grants.invite(owner.browser(), a, pending.user().email, Role.ACCOUNT_ADMINISTRATOR, null);
        // R2: B (administrator of A) makes C administrator of B's own account.
        grants.share(administrator.browser(), administrator.account(), ofDelegate.browser(), ofDelegate.user(),
                Role.ACCOUNT_ADMINISTRATOR);

        // The revoked and the expiring grants did work before they ended.
        assertEquals(200, revoked.browser().get(owner.base() + "/infrastructures").statusCode());
        assertEquals(200, expired.browser().get(owner.base() + "/infrastructures").statusCode());
        owner.browser().get(owner.base() + "/sharing/" + revokedGrant + "/revoke").then().statusCode(200);
        assertEquals(303, owner.browser().post(owner.base() + "/sharing/" + revokedGrant + "/revoke").statusCode());
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(revokedGrant));
        clock.advance(PAST_MIDNIGHT);

        List<Row> rows = new ArrayList<>();
        rows.add(new Row("owner in A", owner, owner, Access.OWNER));
        rows.add(new Row("administrator in A", administrator, owner, Access.ADMINISTRATOR));
        rows.add(new Row("billing in A", billing, owner, Access.BILLING));
        rows.add(new Row("read-only in A", readOnly, owner, Access.READ_ONLY));
        for (Person nobody : List.of(revoked, expired, pending, ofDelegate, stranger)) {
            rows.add(new Row(nobody.name() + " in A", nobody, owner, Access.NONE));
        }
        rows.add(new Row("delegate-of-delegate in B's account", ofDelegate, administrator, Access.ADMINISTRATOR));
        for (Person other : List.of(administrator, billing, readOnly, revoked, expired, pending, ofDelegate,
                stranger)) {
            rows.add(new Row(other.name() + " in own account", other, other, Access.OWNER));
            rows.add(new Row("owner A in " + other.name() + "'s account", owner, other, Access.NONE));
        }

        List<String> mismatches = new ArrayList<>();
        int cells = 0;
        for (Row row : rows) {
            String expected = EXPECTED.get(row.access()).replace(" ", "");
            for (Act act : Act.values()) {
                String observed = perform(row, act);
                String wanted = expected.substring(act.ordinal(), act.ordinal() + 1);
                cells++;
                if (!observed.equals(wanted)) {
                    mismatches.add(row.description() + " / " + act + ": expected " + wanted + ", got " + observed);
                }
            }
        }
        assertEquals(26 * Act.values().length, cells);
        assertEquals(List.of(), mismatches);
    }

    /** Does one action and reports A / F / N as defined above, or what actually happened. */
    private String perform(Row row, Act act) {
        Browser browser = row.actor().browser();
        Person target = row.accountOwner();
        String base = target.base();
        int n = SEQUENCE.incrementAndGet();
        switch (act) {
            case LIST -> {
                Response response = browser.get(base + "/infrastructures");
                boolean shown = response.asString().contains(target.marker());
                return outcome(response, 200, shown, !shown);
            }
            case CREATE -> {
                String label = "Created " + n;
                Response response = browser.post(base + "/infrastructures", "label", label, "description", "x");
                List<Object[]> found = QuarkusTransaction.requiringNew().call(() -> Infrastructure.find(
                        "select i.id, i.account.id, i.createdBy.id from Infrastructure i where i.label = ?1", label)
                        .project(Object[].class).list());
                boolean created = found.size() == 1 && target.account().equals(found.get(0)[1])
                        && row.actor().user().id.equals(found.get(0)[2])
                        && (base + "/infrastructures/" + found.get(0)[0]).equals(location(response));
                return outcome(response, 303, created, found.isEmpty());
            }
            case EDIT -> {
                Infrastructure infrastructure = accounts.infrastructure(target.account(), target.user(), "Edit " + n);
                Response response = browser.post(base + "/infrastructures/" + infrastructure.id + "/properties",
                        "label", "Edited " + n, "description", "changed");
                String label = infrastructure(infrastructure.id).label;
                return outcome(response, 303, label.equals("Edited " + n), label.equals("Edit " + n));
            }
            case DELETE -> {
                Infrastructure infrastructure = accounts.infrastructure(target.account(), target.user(), "Gone " + n);
                Response response = browser.post(base + "/infrastructures/" + infrastructure.id + "/delete");
                Infrastructure.Status status = infrastructure(infrastructure.id).status;
                return outcome(response, 303, status == Infrastructure.Status.DELETED
                        && (base + "/infrastructures").equals(location(response)),
                        status == Infrastructure.Status.DRAFT);
            }
            case DEPLOY -> {
                Infrastructure infrastructure = accounts.infrastructure(target.account(), target.user(), "Ship " + n);
                Drive drive = accounts.pendingDrive(infrastructure.id, "disk", 10);
                Response response = browser.post(base + "/infrastructures/" + infrastructure.id + "/deploy");
                Infrastructure.Status status = infrastructure(infrastructure.id).status;
                Drive.Status driveStatus = drive(drive.id).status;
                return outcome(response, 303, status == Infrastructure.Status.DEPLOYED
                        && driveStatus == Drive.Status.RUNNING, status == Infrastructure.Status.DRAFT
                        && driveStatus == Drive.Status.PENDING);
            }
            case VIEW_BILLING -> {
                Response response = browser.get(base + "/billing");
                boolean shown = response.asString().contains("4242");
                return outcome(response, 200, shown, !shown);
            }
            case CHANGE_BILLING -> {
                String before = billingName(target.account());
                Response response = browser.post(base + "/billing/address", "billingName", "Billing " + n,
                        "billingAddress", "Street " + n);
                String after = billingName(target.account());
                return outcome(response, 303, ("Billing " + n).equals(after)
                        && (base + "/billing").equals(location(response)), String.valueOf(before).equals(
                                String.valueOf(after)));
            }
            case USAGE -> {
                Response response = browser.get(base + "/usage");
                boolean shown = response.asString().contains(base + "/usage.csv");
                return outcome(response, 200, shown, !shown);
            }
            case SHARING -> {
                Response response = browser.get(base + "/sharing");
                boolean shown = response.asString().contains(base + "/sharing/invite");
                return outcome(response, 200, shown, !shown);
            }
            default -> throw new IllegalStateException();
        }
    }

    private static String outcome(Response response, int success, boolean effect, boolean unchanged) {
        int status = response.statusCode();
        if (status == success && effect) {
            return "A";
        }
        if (status == 403 && unchanged) {
            return "F";
        }
        if (status == 404 && unchanged) {
            return "N";
        }
        return status + (effect ? " with the effect" : unchanged ? " with nothing changed" : " with a partial change");
    }

    // ---------------------------------------------------------------------------------------------
    // 2. Effects of a delegate's actions

    @Test
    void anAdministratorsInfrastructureBelongsToTheOwnerAndTheOwnersBillingDecidesTheDeploy() {
        Person owner = person("r7-owner", false);
        Person administrator = person("r7-administrator", true);
        grants.share(owner.browser(), owner.account(), administrator.browser(), administrator.user(),
                Role.ACCOUNT_ADMINISTRATOR);
        Browser browser = administrator.browser();
        String base = owner.base();

        browser.get(base + "/infrastructures/new").then().statusCode(200);
        Response created = browser.post(base + "/infrastructures", "label", "Web", "description", "marketing");
        assertEquals(303, created.statusCode());
        Matcher matcher = Pattern.compile("^" + Pattern.quote(base + "/infrastructures/") + "(\\d+)$")
                .matcher(location(created));
        assertTrue(matcher.matches(), location(created));
        Long id = Long.valueOf(matcher.group(1));
        List<Long> ownership = QuarkusTransaction.requiringNew().call(() -> {
            Infrastructure web = Infrastructure.findById(id);
            return List.of(web.account.id, web.createdBy.id);
        });
        assertEquals(List.of(owner.account(), administrator.user().id), ownership,
                "owned by the acting account A, created by the administrator");
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Infrastructure.count(
                "account.id = ?1 and label = ?2", administrator.account(), "Web")));
        assertTrue(owner.browser().get(base + "/infrastructures").asString().contains("Web"),
                "the owner sees it in the list");
        assertFalse(browser.get(administrator.base() + "/infrastructures").asString().contains(">Web<"),
                "not in the administrator's own account");

        String editor = base + "/infrastructures/" + id;
        browser.get(editor);
        assertEquals(303, browser.post(editor + "/drives", "driveLabel", "www", "sizeGb", "10").statusCode());
        Long driveId = QuarkusTransaction.requiringNew().call(() -> Drive.<Drive>find("infrastructure.id", id)
                .firstResult().id);

        // R7: A is not billable; the administrator's own billable account does not count.
        Response refused = browser.post(editor + "/deploy");
        assertEquals(303, refused.statusCode());
        assertEquals(editor, location(refused));
        String page = browser.follow(refused).asString();
        assertTrue(page.contains(owner.user().email + " must add billing information"), page);
        assertEquals(Infrastructure.Status.DRAFT, infrastructure(id).status);
        assertEquals(Drive.Status.PENDING, drive(driveId).status);

        accounts.makeBillable(owner.account());
        Response deployed = browser.post(editor + "/deploy");
        assertEquals(303, deployed.statusCode());
        assertTrue(browser.follow(deployed).asString().contains("Deployed: 1 drive provisioned."));
        assertEquals(Infrastructure.Status.DEPLOYED, infrastructure(id).status);
        List<Object> provisioned = QuarkusTransaction.requiringNew().call(() -> {
            Drive drive = Drive.findById(driveId);
            return List.<Object>of(drive.status, drive.provisionedBy.id);
        });
        assertEquals(List.of(Drive.Status.RUNNING, administrator.user().id), provisioned);

        // The usage is billed to the owner A, never to the delegate who deployed it.
        clock.advance(Duration.ofMinutes(20));
        String ownerCsv = owner.browser().get(base + "/usage.csv").then().statusCode(200).extract().asString();
        assertTrue(ownerCsv.contains("," + id + ",Web,"), ownerCsv);
        String delegateCsv = browser.get(administrator.base() + "/usage.csv").then().statusCode(200).extract()
                .asString();
        assertFalse(delegateCsv.contains(",Web,"), delegateCsv);
    }

    @Test
    void administratorKeysGoOnlyOntoDrivesProvisionedWhileTheGrantIsActiveAndReadOnlyKeysNever() throws Exception {
        Person owner = person("r11-owner", true);
        Person administrator = person("r11-administrator", true);
        Person readOnly = person("r11-read-only", true);
        String ownerKey = accounts.key(owner.user(), "owner", Accounts.fixtureKey("ed25519")).fingerprint;
        String administratorKey = accounts.key(administrator.user(), "admin", Accounts.fixtureKey("rsa4096"))
                .fingerprint;
        SshKey readOnlyKey = accounts.key(readOnly.user(), "reader", Accounts.fixtureKey("ecdsa256"));
        Infrastructure erp = accounts.infrastructure(owner.account(), owner.user(), "ERP");
        String editor = owner.base() + "/infrastructures/" + erp.id;

        // Provisioned while the administrator's invitation is still pending: the owner's key only.
        Drive before = accounts.pendingDrive(erp.id, "before", 10);
        Long administratorGrant = grants.invite(owner.browser(), owner.account(), administrator.user().email,
                Role.ACCOUNT_ADMINISTRATOR, null);
        owner.browser().get(editor);
        assertEquals(303, owner.browser().post(editor + "/deploy").statusCode());
        assertEquals(Set.of(ownerKey), fingerprintsOn(before.id));

        grants.accept(administrator.browser(), administrator.user().email);
        grants.share(owner.browser(), owner.account(), readOnly.browser(), readOnly.user(), Role.ACCOUNT_READ_ONLY);
        Drive after = accounts.pendingDrive(erp.id, "after", 10);
        administrator.browser().get(editor);
        assertEquals(303, administrator.browser().post(editor + "/deploy").statusCode());
        assertEquals(Set.of(ownerKey, administratorKey), fingerprintsOn(after.id));
        assertEquals(Set.of(ownerKey), fingerprintsOn(before.id), "a later grant does not touch existing drives");

        // Revoked: later drives go without the key; drives that have it keep it.
        owner.browser().get(owner.base() + "/sharing");
        assertEquals(303, owner.browser().post(owner.base() + "/sharing/" + administratorGrant + "/revoke")
                .statusCode());
        Drive later = accounts.pendingDrive(erp.id, "later", 10);
        owner.browser().get(editor);
        assertEquals(303, owner.browser().post(editor + "/deploy").statusCode());
        assertEquals(Set.of(ownerKey), fingerprintsOn(later.id));
        assertEquals(Set.of(ownerKey, administratorKey), fingerprintsOn(after.id));

        long readOnlyCopies = QuarkusTransaction.requiringNew().call(() -> DriveKey.count("user.id",
                readOnly.user().id));
        assertEquals(0, readOnlyCopies, "a read-only delegate's keys never go onto drives");
        for (Drive drive : List.of(before, after, later)) {
            assertFalse(fingerprintsOn(drive.id).contains(readOnlyKey.fingerprint));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 3. R9: changes to a grant apply from the very next request

    @Test
    void revokeLeaveDeclineRoleChangeAndEndDateTakeEffectOnTheVeryNextRequest() {
        Person owner = person("r9-owner", true);
        Person revoked = person("r9-revoked", true);
        Person leaver = person("r9-leaver", true);
        Person decliner = person("r9-decliner", true);
        Person demoted = person("r9-demoted", true);
        Person timed = person("r9-timed", true);
        Long a = owner.account();
        String list = owner.base() + "/infrastructures";
        Infrastructure infrastructure = accounts.infrastructure(a, owner.user(), "Hadoop");
        Drive drive = accounts.pendingDrive(infrastructure.id, "hdfs", 10);
        String editor = list + "/" + infrastructure.id;

        Long revokedGrant = grants.share(owner.browser(), a, revoked.browser(), revoked.user(),
                Role.ACCOUNT_ADMINISTRATOR);
        Long leaverGrant = grants.share(owner.browser(), a, leaver.browser(), leaver.user(),
                Role.ACCOUNT_ADMINISTRATOR);
        Long demotedGrant = grants.share(owner.browser(), a, demoted.browser(), demoted.user(),
                Role.ACCOUNT_ADMINISTRATOR);
        Long timedGrant = grants.share(owner.browser(), a, timed.browser(), timed.user(), Role.ACCOUNT_ADMINISTRATOR,
                TODAY);
        Long declinedGrant = grants.invite(owner.browser(), a, decliner.user().email, Role.ACCOUNT_ADMINISTRATOR,
                null);

        // Revoke: the delegate's open session gets 404 on its next request, and its deploy changes nothing.
        revoked.browser().get(editor).then().statusCode(200);
        owner.browser().get(owner.base() + "/sharing");
        assertEquals(303, owner.browser().post(owner.base() + "/sharing/" + revokedGrant + "/revoke").statusCode());
        assertEquals(404, revoked.browser().post(editor + "/deploy").statusCode());
        assertEquals(404, revoked.browser().get(list).statusCode());
        assertEquals(Drive.Status.PENDING, drive(drive.id).status);

        // Leave: the grantee gives it up and is gone from the account at once.
        leaver.browser().get(list).then().statusCode(200);
        leaver.browser().get("/settings/shared-with-me").then().statusCode(200);
        Response left = leaver.browser().post("/settings/shared-with-me/" + leaverGrant + "/leave");
        assertEquals(303, left.statusCode());
        assertEquals("/settings/shared-with-me", location(left));
        assertEquals(Grant.Status.LEFT, Grants.statusOf(leaverGrant));
        assertEquals(404, leaver.browser().get(list).statusCode());
        assertEquals(404, leaver.browser().post(editor + "/deploy").statusCode());
        assertEquals(Drive.Status.PENDING, drive(drive.id).status);

        // Decline: final; the same link cannot accept afterwards and the account stays out of reach.
        String link = grants.invitationLink(decliner.user().email);
        decliner.browser().get(link).then().statusCode(200);
        Response declined = decliner.browser().post(link + "/decline");
        assertEquals(303, declined.statusCode());
        assertEquals(Grant.Status.DECLINED, Grants.statusOf(declinedGrant));
        assertEquals(404, decliner.browser().post(link + "/accept").statusCode());
        assertEquals(Grant.Status.DECLINED, Grants.statusOf(declinedGrant));
        assertEquals(404, decliner.browser().get(list).statusCode());

        // Role change Administrator → Read-only: the very next deploy is forbidden; back → allowed.
        demoted.browser().get(editor).then().statusCode(200);
        owner.browser().get(owner.base() + "/sharing");
        assertEquals(303, owner.browser().post(owner.base() + "/sharing/" + demotedGrant + "/role", "role",
                Role.ACCOUNT_READ_ONLY.name()).statusCode());
        assertEquals(Role.ACCOUNT_READ_ONLY, Grants.roleOf(demotedGrant));
        assertEquals(403, demoted.browser().post(editor + "/deploy").statusCode());
        assertEquals(Drive.Status.PENDING, drive(drive.id).status);
        assertEquals(200, demoted.browser().get(editor).statusCode(), "read-only still sees it");
        assertEquals(303, owner.browser().post(owner.base() + "/sharing/" + demotedGrant + "/role", "role",
                Role.ACCOUNT_ADMINISTRATOR.name()).statusCode());
        assertEquals(303, demoted.browser().post(editor + "/deploy").statusCode());
        assertEquals(Drive.Status.RUNNING, drive(drive.id).status);

        // End date: at midnight after the "until" day the grant ends without anyone acting.
        timed.browser().get(list).then().statusCode(200);
        clock.advance(PAST_MIDNIGHT);
        assertEquals(404, timed.browser().get(list).statusCode());
        assertEquals(404, timed.browser().get(editor).statusCode());
        assertEquals(Grant.Status.ACCEPTED, Grants.statusOf(timedGrant), "expiry is derived, not stored");
        assertTrue(owner.browser().get(owner.base() + "/sharing").asString().contains("badge--expired\">Expired<"));
        assertEquals(200, demoted.browser().get(list).statusCode(), "a grant without an end date goes on");
    }

    // ---------------------------------------------------------------------------------------------

    private static String location(Response response) {
        String location = response.header("Location");
        return location == null ? "" : location.replaceFirst("^https?://[^/]+", "");
    }

    private static Infrastructure infrastructure(Long id) {
        return QuarkusTransaction.requiringNew().call(() -> Infrastructure.findById(id));
    }

    private static Drive drive(Long id) {
        return QuarkusTransaction.requiringNew().call(() -> Drive.findById(id));
    }

    private static String billingName(Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> Account.<Account>findById(accountId).billingName);
    }

    private static Set<String> fingerprintsOn(Long driveId) {
        return QuarkusTransaction.requiringNew().call(() -> DriveKey.ofDrive(driveId).stream()
                .map(k -> k.fingerprint).collect(Collectors.toSet()));
    }
}
