package io.dap.portal.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.invitation.Invitation;
import io.dap.portal.sshkey.DriveKey;
import io.dap.portal.sshkey.SshKey;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.RefusalMark;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Infrastructure properties › Sharing (R4, R5, R9, R11, R13, R15): who can do what to one shared
 * infrastructure, how an infrastructure delegate is stopped from sharing further or escalating,
 * and the SSH keys of infrastructure Administrators from provisioning to removal on revocation.
 * Infrastructure grants are made the real way: invited on the Sharing tab, accepted from the mail.
 */
@QuarkusTest
class InfrastructureSharingTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    Mailbox mailbox;

    @BeforeEach
    void clearMailbox() {
        mailbox.clear();
    }

    record Person(String name, User user, Long account, Browser browser) {

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
        return new Person(name, user, account, new Browser().signIn(user.email, Users.PASSWORD));
    }

    private static String unique(String label) {
        return label + " " + SEQUENCE.incrementAndGet();
    }

    // ---------------------------------------------------------------------------------------------
    // 1. The matrix

    enum Who { OWNER, ACCOUNT_ADMINISTRATOR, ACCOUNT_READ_ONLY, INFRA_ADMINISTRATOR, INFRA_READ_ONLY,
        DELEGATE_OF_OTHER_INFRA, REVOKED_INFRA_DELEGATE, STRANGER }

    enum Act { SEE_X, SEE_Z, ADD_DRIVE_X, DEPLOY_X, DELETE_X, SHARE_X, VIEW_BILLING }

    /**
     * Written by hand from DESIGN R3 to R6 and R15, not read from Permissions: A allowed (and the
     * effect is there), F 403 with nothing changed, N 404 with nothing changed.
     */
    private static final Map<Who, String> EXPECTED = new EnumMap<>(Map.of(
            //                               SEE_X SEE_Z ADD_DRIVE DEPLOY DELETE SHARE BILLING
            Who.OWNER,                      "A     A     A         A      A      A     A",
            Who.ACCOUNT_ADMINISTRATOR,      "A     A     A         A      A      A     F",
            Who.ACCOUNT_READ_ONLY,          "A     A     F         F      F      F     F",
            Who.INFRA_ADMINISTRATOR,        "A     N     A         A      F      F     F",
            Who.INFRA_READ_ONLY,            "A     N     F         F      F      F     F",
            Who.DELEGATE_OF_OTHER_INFRA,    "N     N     N         N      N      N     F",
            Who.REVOKED_INFRA_DELEGATE,     "N     N     N         N      N      N     N",
            Who.STRANGER,                   "N     N     N         N      N      N     N"));

    /** The account A with three infrastructures: X (shared), Y (shared with someone else) and Z (not shared). */
    record World(Person owner, Infrastructure x, Infrastructure y, Infrastructure z, Map<Who, Person> actors) {

        String path(Infrastructure infrastructure) {
            return owner.base() + "/infrastructures/" + infrastructure.id;
        }
    }

    @Test
    void everyActorGetsExactlyWhatItsRelationToTheInfrastructureAllowsAndRefusalsChangeNothing() {
        Person owner = person("m-owner", true);
        Long a = owner.account();
        Infrastructure x = accounts.infrastructure(a, owner.user(), unique("Web"));
        Infrastructure y = accounts.infrastructure(a, owner.user(), unique("Hadoop"));
        Infrastructure z = accounts.infrastructure(a, owner.user(), unique("Erp"));
        Map<Who, Person> actors = new EnumMap<>(Who.class);
        actors.put(Who.OWNER, owner);
        // Nobody but the owner is billable: a delegate's deploy is decided by the owner's billing (R7).
        for (Who who : Who.values()) {
            if (who != Who.OWNER) {
                actors.put(who, person("m-" + who.name().toLowerCase().replace('_', '-'), false));
            }
        }
        World world = new World(owner, x, y, z, actors);

        grants.share(owner.browser(), a, actors.get(Who.ACCOUNT_ADMINISTRATOR).browser(),
                actors.get(Who.ACCOUNT_ADMINISTRATOR).user(), Role.ACCOUNT_ADMINISTRATOR);
        grants.share(owner.browser(), a, actors.get(Who.ACCOUNT_READ_ONLY).browser(),
                actors.get(Who.ACCOUNT_READ_ONLY).user(), Role.ACCOUNT_READ_ONLY);
        shareInfrastructure(owner, x, actors.get(Who.INFRA_ADMINISTRATOR), Role.INFRASTRUCTURE_ADMINISTRATOR);
        shareInfrastructure(owner, x, actors.get(Who.INFRA_READ_ONLY), Role.INFRASTRUCTURE_READ_ONLY);
        shareInfrastructure(owner, y, actors.get(Who.DELEGATE_OF_OTHER_INFRA), Role.INFRASTRUCTURE_ADMINISTRATOR);
        Person revoked = actors.get(Who.REVOKED_INFRA_DELEGATE);
        Long revokedGrant = shareInfrastructure(owner, x, revoked, Role.INFRASTRUCTURE_ADMINISTRATOR);
        assertEquals(200, revoked.browser().get(world.path(x)).statusCode(), "the grant worked before the revoke");
        owner.browser().get(world.path(x) + "/sharing/" + revokedGrant + "/revoke").then().statusCode(200);
        Response revoke = owner.browser().post(world.path(x) + "/sharing/" + revokedGrant + "/revoke");
        assertEquals(303, revoke.statusCode());
        assertEquals(world.path(x) + "/sharing", location(revoke));
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(revokedGrant));

        List<String> mismatches = new ArrayList<>();
        int cells = 0;
        for (Who who : Who.values()) {
            String expected = EXPECTED.get(who).replace(" ", "");
            for (Act act : Act.values()) {
                String wanted = expected.substring(act.ordinal(), act.ordinal() + 1);
                String observed = perform(world, actors.get(who), act);
                cells++;
                if (!observed.equals(wanted)) {
                    mismatches.add(who + " / " + act + ": expected " + wanted + ", got " + observed);
                }
            }
        }
        assertEquals(Who.values().length * Act.values().length, cells);
        assertEquals(List.of(), mismatches);
    }

    /** Does one action and reports A / F / N as defined above, or what actually happened. */
    private String perform(World world, Person actor, Act act) {
        Browser browser = actor.browser();
        Infrastructure x = world.x();
        String xPath = world.path(x);
        Long a = world.owner().account();
        int n = SEQUENCE.incrementAndGet();
        RefusalMark auditMark = RefusalMark.now();
        Response response;
        boolean effect;
        List<String> before;
        switch (act) {
            case SEE_X, SEE_Z -> {
                Infrastructure target = act == Act.SEE_X ? x : world.z();
                before = stateOf(a);
                response = browser.get(world.path(target));
                effect = response.statusCode() == 200 && response.asString().contains("<h1>" + target.label + " ");
                if (!effect && response.asString().contains("<h1>" + target.label)) {
                    return response.statusCode() + " showing the infrastructure";
                }
            }
            case ADD_DRIVE_X -> {
                String label = "drive " + n;
                before = stateOf(a);
                response = browser.post(xPath + "/drives", "driveLabel", label, "sizeGb", "10");
                List<Object[]> added = QuarkusTransaction.requiringNew().call(() -> Drive.find(
                        "select d.infrastructure.id, d.status from Drive d where d.label = ?1", label)
                        .project(Object[].class).list());
                effect = response.statusCode() == 303 && xPath.equals(location(response)) && added.size() == 1
                        && x.id.equals(added.get(0)[0]) && added.get(0)[1] == Drive.Status.PENDING;
            }
            case DEPLOY_X -> {
                Drive drive = accounts.pendingDrive(x.id, "deploy " + n, 10);
                before = stateOf(a);
                response = browser.post(xPath + "/deploy");
                List<Object> after = QuarkusTransaction.requiringNew().call(() -> {
                    Drive d = Drive.findById(drive.id);
                    return List.of(d.status, d.provisionedBy == null ? 0L : d.provisionedBy.id);
                });
                effect = response.statusCode() == 303 && xPath.equals(location(response))
                        && after.equals(List.of(Drive.Status.RUNNING, actor.user().id))
                        && infrastructure(x.id).status == Infrastructure.Status.DEPLOYED;
            }
            case DELETE_X -> {
                before = stateOf(a);
                Map<Long, Drive.Status> drives = driveStatuses(x.id);
                Infrastructure.Status status = infrastructure(x.id).status;
                response = browser.post(xPath + "/delete");
                effect = response.statusCode() == 303
                        && (world.owner().base() + "/infrastructures").equals(location(response))
                        && infrastructure(x.id).status == Infrastructure.Status.DELETED
                        && driveStatuses(x.id).values().stream().allMatch(s -> s == Drive.Status.DELETED);
                if (effect) {
                    // Put X back so that the next actors still find it as it was.
                    undelete(x.id, status, drives);
                }
            }
            case SHARE_X -> {
                String email = Users.uniqueEmail("m-invitee");
                before = stateOf(a);
                response = browser.post(xPath + "/sharing/invite", "email", email, "role",
                        Role.INFRASTRUCTURE_READ_ONLY.name(), "label", "", "until", "");
                List<Object[]> made = QuarkusTransaction.requiringNew().call(() -> Grant.find(
                        "select g.scope, g.infrastructure.id, g.role, g.status, g.invitedBy.id from Grant g"
                                + " where g.grantee.email = ?1", email).project(Object[].class).list());
                effect = response.statusCode() == 303 && (xPath + "/sharing").equals(location(response))
                        && made.size() == 1 && Arrays.asList(made.get(0)).equals(List.of(Role.Scope.INFRASTRUCTURE,
                                x.id, Role.INFRASTRUCTURE_READ_ONLY, Grant.Status.PENDING, actor.user().id));
                if (!effect && userExists(email)) {
                    return response.statusCode() + " but the invitee was created";
                }
            }
            case VIEW_BILLING -> {
                before = stateOf(a);
                response = browser.get(world.owner().base() + "/billing");
                effect = response.statusCode() == 200 && response.asString().contains("4242");
                if (!effect && response.asString().contains("4242")) {
                    return response.statusCode() + " showing the card";
                }
            }
            default -> throw new IllegalStateException();
        }
        int status = response.statusCode();
        if (effect) {
            return "A";
        }
        boolean unchanged = before.equals(stateOf(a));
        boolean audited = auditMark.since(actor.user().id) > 0;
        if ((status == 403 || status == 404) && unchanged && audited) {
            return status == 403 ? "F" : "N";
        }
        return status + (unchanged ? "" : " with a change") + (audited ? "" : " without an audited refusal");
    }

    // ---------------------------------------------------------------------------------------------
    // 2. An infrastructure delegate cannot share further, escalate, or reach other infrastructures

    @Test
    void anInfrastructureDelegateCannotShareEscalateOrReachAnotherInfrastructureAndEveryAttemptIsAudited() {
        Person owner = person("e-owner", true);
        Person administrator = person("e-administrator", false);
        Person reader = person("e-reader", false);
        Long a = owner.account();
        Infrastructure x = accounts.infrastructure(a, owner.user(), unique("Web"));
        Infrastructure z = accounts.infrastructure(a, owner.user(), unique("Erp"));
        String xPath = owner.base() + "/infrastructures/" + x.id;
        String zPath = owner.base() + "/infrastructures/" + z.id;
        Long administratorGrant = shareInfrastructure(owner, x, administrator, Role.INFRASTRUCTURE_ADMINISTRATOR);
        Long readerGrant = shareInfrastructure(owner, x, reader, Role.INFRASTRUCTURE_READ_ONLY);
        String pendingEmail = Users.uniqueEmail("e-pending");
        Long pendingGrant = inviteToInfrastructure(owner.browser(), a, x, pendingEmail,
                Role.INFRASTRUCTURE_ADMINISTRATOR, "private note");
        long invitationsOfPending = invitationsOf(pendingGrant);

        // The delegate sees the tab read-only: who has access, but no invite form, no actions, no labels.
        String tab = administrator.browser().get(xPath + "/sharing").then().statusCode(200).extract().asString();
        assertTrue(tab.contains(owner.user().email) && tab.contains(pendingEmail), tab);
        assertFalse(tab.contains(xPath + "/sharing/invite"), "no invite form");
        assertFalse(tab.contains("/role\"") || tab.contains("/revoke\"") || tab.contains("/cancel\""), "no actions");
        assertFalse(tab.contains("private note"), "the label is the granter's only");
        String ownerTab = owner.browser().get(xPath + "/sharing").asString();
        assertTrue(ownerTab.contains(xPath + "/sharing/invite") && ownerTab.contains("private note"));
        assertTrue(ownerTab.contains(xPath + "/sharing/" + readerGrant + "/revoke"));

        List<String> before = stateOf(a);
        RefusalMark mark = RefusalMark.now();
        Long actorId = administrator.user().id;
        Browser browser = administrator.browser();
        browser.get(xPath + "/sharing");

        // Share X further, at its own role or above.
        String invitee = Users.uniqueEmail("e-invitee");
        for (Role role : List.of(Role.INFRASTRUCTURE_ADMINISTRATOR, Role.INFRASTRUCTURE_READ_ONLY,
                Role.ACCOUNT_ADMINISTRATOR)) {
            assertEquals(403, browser.post(xPath + "/sharing/invite", "email", invitee, "role", role.name(),
                    "label", "", "until", "").statusCode(), role.name());
        }
        // Through account sharing, which does not exist for them.
        assertEquals(404, browser.post(owner.base() + "/sharing/invite", "email", invitee, "role",
                Role.ACCOUNT_ADMINISTRATOR.name(), "label", "", "until", "").statusCode());
        assertEquals(404, browser.get(owner.base() + "/sharing").statusCode());
        assertFalse(userExists(invitee), "the invitee was never created");

        // Escalate its own grant, or change, revoke, cancel or resend someone else's.
        assertEquals(403, browser.post(xPath + "/sharing/" + administratorGrant + "/role", "role",
                Role.ACCOUNT_ADMINISTRATOR.name()).statusCode());
        assertEquals(404, browser.post(owner.base() + "/sharing/" + administratorGrant + "/role", "role",
                Role.ACCOUNT_ADMINISTRATOR.name()).statusCode());
        assertEquals(403, browser.post(xPath + "/sharing/" + readerGrant + "/role", "role",
                Role.INFRASTRUCTURE_ADMINISTRATOR.name()).statusCode());
        assertEquals(403, browser.get(xPath + "/sharing/" + readerGrant + "/revoke").statusCode());
        assertEquals(403, browser.post(xPath + "/sharing/" + readerGrant + "/revoke", "removeKeys", "on")
                .statusCode());
        assertEquals(403, browser.post(xPath + "/sharing/" + pendingGrant + "/cancel").statusCode());
        assertEquals(403, browser.post(xPath + "/sharing/" + pendingGrant + "/resend").statusCode());
        assertEquals(403, browser.post(xPath + "/sharing/former-keys/" + reader.user().id + "/remove")
                .statusCode());
        // Nor can the read-only delegate promote itself.
        reader.browser().get(xPath + "/sharing").then().statusCode(200);
        assertEquals(403, reader.browser().post(xPath + "/sharing/" + readerGrant + "/role", "role",
                Role.INFRASTRUCTURE_ADMINISTRATOR.name()).statusCode());

        assertEquals(Role.INFRASTRUCTURE_ADMINISTRATOR, Grants.roleOf(administratorGrant));
        assertEquals(Role.INFRASTRUCTURE_READ_ONLY, Grants.roleOf(readerGrant));
        assertEquals(Grant.Status.ACCEPTED, Grants.statusOf(readerGrant));
        assertEquals(Grant.Status.PENDING, Grants.statusOf(pendingGrant));
        assertEquals(invitationsOfPending, invitationsOf(pendingGrant), "no new invitation was sent");
        assertEquals(0, mailbox.deliverAndRead(invitee).size());

        // Z, another infrastructure of the same account: exactly like one that does not exist (R15).
        String missing = owner.base() + "/infrastructures/" + (z.id + 1_000_000);
        for (String path : List.of(zPath, missing)) {
            assertEquals(404, browser.get(path).statusCode(), path);
            assertEquals(404, browser.get(path + "/properties").statusCode(), path);
            assertEquals(404, browser.get(path + "/sharing").statusCode(), path);
            assertEquals(404, browser.post(path + "/sharing/invite", "email", invitee, "role",
                    Role.INFRASTRUCTURE_ADMINISTRATOR.name(), "label", "", "until", "").statusCode(), path);
            assertEquals(404, browser.post(path + "/drives", "driveLabel", "sneaky", "sizeGb", "10").statusCode());
            assertEquals(404, browser.post(path + "/deploy").statusCode(), path);
            assertEquals(404, browser.post(path + "/delete").statusCode(), path);
        }
        assertEquals(withoutToken(browser.get(zPath).asString()), withoutToken(browser.get(missing).asString()),
                "the same page as for a missing id");
        String list = browser.get(owner.base() + "/infrastructures").then().statusCode(200).extract().asString();
        assertTrue(list.contains(x.label), list);
        assertFalse(list.contains(z.label), "the list shows only what is shared with them");

        assertEquals(before, stateOf(a), "nothing changed in the account");
        assertFalse(userExists(invitee));
        assertEquals(10, mark.since(actorId, "ACCESS_FORBIDDEN",
                "infrastructure " + x.id + " (SHARE_INFRASTRUCTURE)"), "each forbidden sharing request is audited");
        assertEquals(3, mark.since(actorId, "ACCESS_NOT_FOUND", "account sharing " + a));
        assertEquals(8, mark.since(actorId, "ACCESS_NOT_FOUND", "infrastructure " + z.id),
                "each attempt on Z is audited, like one on a missing id");
        assertEquals(8, mark.since(actorId, "ACCESS_NOT_FOUND", "infrastructure " + (z.id + 1_000_000)));
        assertEquals(1, mark.since(reader.user().id, "ACCESS_FORBIDDEN",
                "infrastructure " + x.id + " (SHARE_INFRASTRUCTURE)"));

        // The owner controls: an infrastructure grant cannot be turned into an account role either.
        owner.browser().get(xPath + "/sharing");
        Response refused = owner.browser().post(xPath + "/sharing/" + administratorGrant + "/role", "role",
                Role.ACCOUNT_ADMINISTRATOR.name());
        assertEquals(303, refused.statusCode());
        assertTrue(owner.browser().follow(refused).asString().contains("Nothing changed"));
        assertEquals(Role.INFRASTRUCTURE_ADMINISTRATOR, Grants.roleOf(administratorGrant));
        Response changed = owner.browser().post(xPath + "/sharing/" + administratorGrant + "/role", "role",
                Role.INFRASTRUCTURE_READ_ONLY.name());
        assertEquals(303, changed.statusCode());
        assertEquals(Role.INFRASTRUCTURE_READ_ONLY, Grants.roleOf(administratorGrant));
        // R9: the very next request of the demoted delegate is read-only.
        assertEquals(403, browser.post(xPath + "/drives", "driveLabel", "late", "sizeGb", "10").statusCode());
        assertEquals(200, browser.get(xPath).statusCode());
    }

    @Test
    void accountReadOnlyAndBillingDelegatesSeeTheTabReadOnlyAndTheirPostsChangeNothing() {
        Person owner = person("r-owner", true);
        Person readOnly = person("r-read-only", false);
        Person billing = person("r-billing", false);
        Person administrator = person("r-administrator", false);
        Person delegate = person("r-delegate", false);
        Long a = owner.account();
        Infrastructure x = accounts.infrastructure(a, owner.user(), unique("Web"));
        String xPath = owner.base() + "/infrastructures/" + x.id;
        grants.share(owner.browser(), a, readOnly.browser(), readOnly.user(), Role.ACCOUNT_READ_ONLY);
        grants.share(owner.browser(), a, billing.browser(), billing.user(), Role.ACCOUNT_BILLING);
        grants.share(owner.browser(), a, administrator.browser(), administrator.user(), Role.ACCOUNT_ADMINISTRATOR);
        Long delegateGrant = shareInfrastructure(owner, x, delegate, Role.INFRASTRUCTURE_READ_ONLY);

        // Account delegates are shown "via account sharing" to everyone who sees the tab.
        String ownerTab = owner.browser().get(xPath + "/sharing").asString();
        assertTrue(ownerTab.contains(administrator.user().email) && ownerTab.contains("via account sharing"));

        for (Person person : List.of(readOnly, billing)) {
            Browser browser = person.browser();
            String tab = browser.get(xPath + "/sharing").then().statusCode(200).extract().asString();
            assertTrue(tab.contains(delegate.user().email) && tab.contains(administrator.user().email), tab);
            assertFalse(tab.contains(xPath + "/sharing/invite"), person.name());
            List<String> before = stateOf(a);
            RefusalMark mark = RefusalMark.now();
            String invitee = Users.uniqueEmail("r-invitee");
            assertEquals(403, browser.post(xPath + "/sharing/invite", "email", invitee, "role",
                    Role.INFRASTRUCTURE_READ_ONLY.name(), "label", "", "until", "").statusCode());
            assertEquals(403, browser.post(xPath + "/sharing/" + delegateGrant + "/role", "role",
                    Role.INFRASTRUCTURE_ADMINISTRATOR.name()).statusCode());
            assertEquals(403, browser.post(xPath + "/sharing/" + delegateGrant + "/revoke").statusCode());
            assertEquals(before, stateOf(a), person.name());
            assertFalse(userExists(invitee));
            assertEquals(3, mark.since(person.user().id, "ACCESS_FORBIDDEN",
                    "infrastructure " + x.id + " (SHARE_INFRASTRUCTURE)"));
        }

        // The account Administrator shares single infrastructures (R5), at infrastructure roles only.
        Browser browser = administrator.browser();
        String tab = browser.get(xPath + "/sharing").then().statusCode(200).extract().asString();
        assertTrue(tab.contains(xPath + "/sharing/invite"));
        String invitee = Users.uniqueEmail("r-by-administrator");
        Response escalation = browser.post(xPath + "/sharing/invite", "email", invitee, "role",
                Role.ACCOUNT_ADMINISTRATOR.name(), "label", "", "until", "");
        assertEquals(303, escalation.statusCode());
        assertFalse(userExists(invitee), "an account role is not offered on an infrastructure");
        Long invited = inviteToInfrastructure(browser, a, x, invitee, Role.INFRASTRUCTURE_ADMINISTRATOR, "");
        assertEquals(Role.INFRASTRUCTURE_ADMINISTRATOR, Grants.roleOf(invited));
    }

    // ---------------------------------------------------------------------------------------------
    // 3. SSH keys of infrastructure Administrators (R11)

    @Test
    void administratorKeysReachOnlyTheSharedInfrastructureAndLeaveItOnRevocationOrThroughTheWarning()
            throws Exception {
        Person owner = person("k-owner", true);
        Person administrator = person("k-administrator", false);
        Person other = person("k-other", false);
        Person reader = person("k-reader", false);
        Long a = owner.account();
        String ownerKey = accounts.key(owner.user(), "owner laptop", Accounts.fixtureKey("ed25519")).fingerprint;
        String administratorKey = accounts.key(administrator.user(), "admin laptop",
                Accounts.fixtureKey("rsa4096")).fingerprint;
        String otherKey = accounts.key(other.user(), "other laptop", Accounts.fixtureKey("ecdsa256")).fingerprint;
        SshKey readerKey = accounts.key(reader.user(), "reader laptop", Accounts.fixtureKey("ecdsa384"));
        Infrastructure x = accounts.infrastructure(a, owner.user(), unique("Web"));
        Infrastructure z = accounts.infrastructure(a, owner.user(), unique("Erp"));
        String xPath = owner.base() + "/infrastructures/" + x.id;
        String zPath = owner.base() + "/infrastructures/" + z.id;

        // Provisioned while the invitation is still pending: the owner's key only.
        Drive early = accounts.pendingDrive(x.id, "early", 10);
        Long administratorGrant = inviteToInfrastructure(owner.browser(), a, x, administrator.user().email,
                Role.INFRASTRUCTURE_ADMINISTRATOR, "");
        owner.browser().get(xPath);
        assertEquals(303, owner.browser().post(xPath + "/deploy").statusCode());
        assertEquals(Set.of(ownerKey), fingerprintsOn(early.id));

        grants.accept(administrator.browser(), administrator.user().email);
        Long otherGrant = shareInfrastructure(owner, x, other, Role.INFRASTRUCTURE_ADMINISTRATOR);
        shareInfrastructure(owner, x, reader, Role.INFRASTRUCTURE_READ_ONLY);

        // The administrator adds drives (two share a name) and deploys X; the owner deploys Z.
        Browser browser = administrator.browser();
        browser.get(xPath).then().statusCode(200);
        for (String label : List.of("www", "db", "www")) {
            assertEquals(303, browser.post(xPath + "/drives", "driveLabel", label, "sizeGb", "10").statusCode());
        }
        Response deployed = browser.post(xPath + "/deploy");
        assertEquals(303, deployed.statusCode());
        assertTrue(browser.follow(deployed).asString().contains("Deployed: 3 drives provisioned."));
        List<Long> xDrives = QuarkusTransaction.requiringNew().call(() -> Drive.find(
                "select d.id from Drive d where d.infrastructure.id = ?1 and d.label in ('www', 'db') order by d.id",
                x.id).project(Long.class).list());
        assertEquals(3, xDrives.size());
        Drive zDrive = accounts.pendingDrive(z.id, "erp", 10);
        assertEquals(404, browser.post(zPath + "/deploy").statusCode(), "Z is not theirs");
        assertEquals(Drive.Status.PENDING, driveStatuses(z.id).get(zDrive.id));
        owner.browser().get(zPath);
        assertEquals(303, owner.browser().post(zPath + "/deploy").statusCode());

        for (Long drive : xDrives) {
            assertEquals(Set.of(ownerKey, administratorKey, otherKey), fingerprintsOn(drive));
        }
        assertEquals(Set.of(ownerKey), fingerprintsOn(early.id), "a later grant does not touch existing drives");
        assertEquals(Set.of(ownerKey), fingerprintsOn(zDrive.id), "X's administrators have no key on Z");
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> DriveKey.count("user.id = ?1",
                reader.user().id)), "a read-only delegate's key " + readerKey.fingerprint + " never goes on a drive");

        // While the other administrator is entitled, the warning's action removes nothing.
        owner.browser().get(xPath + "/sharing");
        Response nothing = owner.browser().post(xPath + "/sharing/former-keys/" + other.user().id + "/remove");
        assertEquals(303, nothing.statusCode());
        assertTrue(owner.browser().follow(nothing).asString().contains("No key was left to remove."));
        assertEquals(0, removedCount(other.user().id));

        // Revoke with removal: the confirmation lists the drives and that person's key, and nobody else's.
        String confirm = owner.browser().get(xPath + "/sharing/" + administratorGrant + "/revoke").then()
                .statusCode(200).extract().asString();
        assertTrue(confirm.contains(administratorKey) && confirm.contains(">www<") && confirm.contains(">db<"),
                confirm);
        assertFalse(confirm.contains(otherKey) || confirm.contains(ownerKey), confirm);
        assertTrue(confirm.contains("name=\"removeKeys\"") && confirm.contains("Remove these keys from 3 drives"),
                confirm);
        long mark = lastAuditId();
        Response revoked = owner.browser().post(xPath + "/sharing/" + administratorGrant + "/revoke", "removeKeys",
                "on");
        assertEquals(303, revoked.statusCode());
        assertEquals(xPath + "/sharing", location(revoked));
        String afterRevoke = owner.browser().follow(revoked).asString();
        assertTrue(afterRevoke.contains("Their SSH keys were removed from the drives."), afterRevoke);
        assertFalse(afterRevoke.contains("Keys of a former delegate"), "nothing left to warn about");
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(administratorGrant));
        for (Long drive : xDrives) {
            Map<String, Object[]> keys = keysOn(drive);
            assertNotNull(keys.get(administratorKey)[0], "removedAt of the administrator's key on " + drive);
            assertEquals(owner.user().id, keys.get(administratorKey)[1], "removedBy");
            assertNull(keys.get(ownerKey)[0], "the owner's key stays");
            assertNull(keys.get(otherKey)[0], "the other administrator's key stays");
        }
        assertEquals(3L, (long) QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "id > ?1 and action = 'SSH_KEY_REMOVED_FROM_DRIVE' and outcome = ?2 and accountId = ?3"
                        + " and userId = ?4 and detail like ?5", mark, AuditEvent.Outcome.SUCCESS, a,
                owner.user().id, "%" + administratorKey)));
        String drivePage = owner.browser().get(xPath + "/drives/" + xDrives.get(0)).then().statusCode(200).extract()
                .asString();
        assertEquals(1, occurrences(drivePage, "badge--revoked\">removed<"), drivePage);
        assertEquals(2, occurrences(drivePage, "badge--active\">installed<"), drivePage);
        assertTrue(drivePage.contains("</time> by " + owner.user().displayName + "</td>"), drivePage);
        // R9: the revoked administrator's next request is refused.
        assertEquals(404, browser.get(xPath).statusCode());
        assertEquals(404, browser.post(xPath + "/deploy").statusCode());

        // Revoke without removal: the keys stay, and the Sharing tab warns until they are removed.
        String confirmOther = owner.browser().get(xPath + "/sharing/" + otherGrant + "/revoke").asString();
        assertTrue(confirmOther.contains(otherKey) && !confirmOther.contains(administratorKey), confirmOther);
        Response kept = owner.browser().post(xPath + "/sharing/" + otherGrant + "/revoke");
        assertEquals(303, kept.statusCode());
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(otherGrant));
        assertEquals(0, removedCount(other.user().id), "keys still installed");
        String warning = "Keys of a former delegate, " + other.user().email + ", remain on 3 drives.";
        String sharingTab = owner.browser().get(xPath + "/sharing").asString();
        assertTrue(sharingTab.contains(warning), sharingTab);
        String removeAction = xPath + "/sharing/former-keys/" + other.user().id + "/remove";
        assertTrue(sharingTab.contains("action=\"" + removeAction + "\""), sharingTab);
        assertTrue(owner.browser().get(xPath + "/sharing").asString().contains(warning), "a standing warning");
        assertFalse(reader.browser().get(xPath + "/sharing").asString().contains("Keys of a former delegate"),
                "only those who share see it");
        assertEquals(403, reader.browser().post(removeAction).statusCode());
        assertEquals(0, removedCount(other.user().id));

        owner.browser().get(xPath + "/sharing");
        Response removed = owner.browser().post(removeAction);
        assertEquals(303, removed.statusCode());
        assertEquals(xPath + "/sharing", location(removed));
        String cleared = owner.browser().follow(removed).asString();
        assertTrue(cleared.contains("Removed 3 keys from their drives."), cleared);
        assertFalse(cleared.contains("Keys of a former delegate"), cleared);
        assertEquals(3, removedCount(other.user().id));
        for (Long drive : xDrives) {
            assertNull(keysOn(drive).get(ownerKey)[0], "the owner's key is never removed");
        }
        assertEquals(Set.of(ownerKey), fingerprintsOn(zDrive.id));
        assertNull(keysOn(zDrive.id).get(ownerKey)[0]);
    }

    @Test
    void aDemotedAdministratorsInstalledKeysAreStillOfferedForRemovalWhenRevoked() throws Exception {
        Person owner = person("d-owner", true);
        Person demoted = person("d-demoted", false);
        Long a = owner.account();
        String key = accounts.key(demoted.user(), "laptop", Accounts.fixtureKey("rsa2048")).fingerprint;
        Infrastructure x = accounts.infrastructure(a, owner.user(), unique("Web"));
        String xPath = owner.base() + "/infrastructures/" + x.id;
        Long grant = shareInfrastructure(owner, x, demoted, Role.INFRASTRUCTURE_ADMINISTRATOR);
        Drive drive = accounts.pendingDrive(x.id, "www", 10);
        demoted.browser().get(xPath);
        assertEquals(303, demoted.browser().post(xPath + "/deploy").statusCode());
        assertEquals(Set.of(key), fingerprintsOn(drive.id));

        owner.browser().get(xPath + "/sharing");
        assertEquals(303, owner.browser().post(xPath + "/sharing/" + grant + "/role", "role",
                Role.INFRASTRUCTURE_READ_ONLY.name()).statusCode());
        String warning = "Keys of a former delegate, " + demoted.user().email + ", remain on 1 drive.";
        assertTrue(owner.browser().get(xPath + "/sharing").asString().contains(warning),
                "a Read-only delegate is not entitled to keys on drives");

        String confirm = owner.browser().get(xPath + "/sharing/" + grant + "/revoke").then().statusCode(200)
                .extract().asString();
        assertTrue(confirm.contains(key) && confirm.contains("name=\"removeKeys\""),
                "the confirmation offers the keys a demoted Administrator left: " + confirm);
        Response revoked = owner.browser().post(xPath + "/sharing/" + grant + "/revoke", "removeKeys", "on");
        assertEquals(303, revoked.statusCode());
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(grant));
        assertEquals(1, removedCount(demoted.user().id));
        assertFalse(owner.browser().follow(revoked).asString().contains("Keys of a former delegate"));
    }

    // ---------------------------------------------------------------------------------------------

    private Long inviteToInfrastructure(Browser by, Long accountId, Infrastructure infrastructure, String email,
            Role role, String label) {
        return grants.inviteToInfrastructure(by, accountId, infrastructure.id, email, role, label);
    }

    private Long shareInfrastructure(Person owner, Infrastructure infrastructure, Person invitee, Role role) {
        return grants.shareInfrastructure(owner.browser(), owner.account(), infrastructure.id, invitee.browser(),
                invitee.user(), role);
    }

    /** Everything of the account a refused request must leave alone (the audit trail aside). */
    private static List<String> stateOf(Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<String> state = new ArrayList<>();
            Account account = Account.findById(accountId);
            state.add("account " + account.billingName + " " + account.cardLast4);
            Infrastructure.<Infrastructure>list("account.id = ?1 order by id", accountId).forEach(i -> state.add(
                    "infrastructure " + i.id + " " + i.status + " " + i.label + " v" + i.version));
            Drive.<Drive>list("infrastructure.account.id = ?1 order by id", accountId).forEach(d -> state.add(
                    "drive " + d.id + " " + d.status + " " + d.label + " " + d.sizeGb));
            Grant.<Grant>list("account.id = ?1 order by id", accountId).forEach(g -> state.add(
                    "grant " + g.id + " " + g.scope + " " + g.status + " " + g.role));
            state.add("invitations " + Invitation.count("grant.account.id", accountId));
            state.add("drive keys " + DriveKey.count("drive.infrastructure.account.id = ?1 and removedAt is null",
                    accountId));
            return state;
        });
    }

    private static long lastAuditId() {
        Long max = QuarkusTransaction.requiringNew().call(() -> AuditEvent.find("select max(e.id) from AuditEvent e")
                .project(Long.class).firstResult());
        return max == null ? 0 : max;
    }

    private static String withoutToken(String page) {
        return page.replaceAll("name=\"csrf_token\" value=\"[^\"]*\"", "name=\"csrf_token\"");
    }

    private static boolean userExists(String email) {
        return QuarkusTransaction.requiringNew().call(() -> User.count("email", email)) > 0;
    }

    private static long invitationsOf(Long grantId) {
        return QuarkusTransaction.requiringNew().call(() -> Invitation.count("grant.id", grantId));
    }

    private static Infrastructure infrastructure(Long id) {
        return QuarkusTransaction.requiringNew().call(() -> Infrastructure.findById(id));
    }

    private static Map<Long, Drive.Status> driveStatuses(Long infrastructureId) {
        return QuarkusTransaction.requiringNew().call(() -> Drive.<Drive>list("infrastructure.id = ?1 order by id",
                infrastructureId).stream().collect(Collectors.toMap(d -> d.id, d -> d.status, (p, q) -> p,
                        LinkedHashMap::new)));
    }

    private static void undelete(Long infrastructureId, Infrastructure.Status status, Map<Long, Drive.Status> drives) {
        QuarkusTransaction.requiringNew().run(() -> {
            Infrastructure infrastructure = Infrastructure.findById(infrastructureId);
            infrastructure.status = status;
            infrastructure.deletedAt = null;
            drives.forEach((id, driveStatus) -> {
                Drive drive = Drive.findById(id);
                drive.status = driveStatus;
                drive.deletedAt = null;
            });
        });
    }

    private static Set<String> fingerprintsOn(Long driveId) {
        return QuarkusTransaction.requiringNew().call(() -> DriveKey.ofDrive(driveId).stream()
                .map(k -> k.fingerprint).collect(Collectors.toSet()));
    }

    /** Fingerprint → {removedAt, removedBy id} of every key on a drive. */
    private static Map<String, Object[]> keysOn(Long driveId) {
        return QuarkusTransaction.requiringNew().call(() -> DriveKey.ofDrive(driveId).stream().collect(
                Collectors.toMap(k -> k.fingerprint, k -> new Object[] { k.removedAt,
                        k.removedBy == null ? null : k.removedBy.id })));
    }

    private static int removedCount(Long userId) {
        return QuarkusTransaction.requiringNew().call(() -> (int) DriveKey.count(
                "user.id = ?1 and removedAt is not null", userId));
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    private static String location(Response response) {
        String location = response.header("Location");
        return location == null ? "" : location.replaceFirst("^https?://[^/]+", "");
    }
}
