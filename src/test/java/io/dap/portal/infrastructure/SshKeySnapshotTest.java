package io.dap.portal.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.sshkey.DriveKey;
import io.dap.portal.sshkey.SshKey;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** R11 for the owner: a drive gets the keys of the moment it is provisioned, and keeps them. */
@QuarkusTest
class SshKeySnapshotTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Test
    void aKeyAddedAfterProvisioningIsAbsentThereAndPresentOnLaterDrives() throws Exception {
        User owner = users.active("keys");
        Long account = accounts.accountOf(owner);
        accounts.makeBillable(account);
        SshKey laptop = accounts.key(owner, "laptop", Accounts.fixtureKey("ed25519"));
        Infrastructure infrastructure = accounts.infrastructure(account, owner, "ERP");
        Drive first = accounts.pendingDrive(infrastructure.id, "first", 10);
        String path = "/accounts/" + account + "/infrastructures/" + infrastructure.id;
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        browser.get(path);
        browser.post(path + "/deploy", Map.of()).then().statusCode(303);
        assertEquals(List.of(laptop.fingerprint), fingerprintsOn(first.id));

        SshKey desktop = accounts.key(owner, "desktop", Accounts.fixtureKey("rsa4096"));
        Drive second = accounts.pendingDrive(infrastructure.id, "second", 10);
        browser.post(path + "/deploy", Map.of()).then().statusCode(303);
        assertEquals(List.of(laptop.fingerprint), fingerprintsOn(first.id), "the first drive is untouched");
        assertEquals(List.of(laptop.fingerprint, desktop.fingerprint), fingerprintsOn(second.id));

        accounts.deleteKey(laptop.id);
        assertEquals(List.of(laptop.fingerprint), fingerprintsOn(first.id), "deleting a key leaves drives alone");

        String page = browser.get(path + "/drives/" + second.id).then().statusCode(200).extract().asString();
        assertTrue(page.contains(laptop.fingerprint) && page.contains(desktop.fingerprint));
        assertTrue(page.contains("laptop") && page.contains(owner.email));
        String pendingPage = browser.get(path).asString();
        assertTrue(pendingPage.contains("second"));
    }

    static List<String> fingerprintsOn(Long driveId) {
        return QuarkusTransaction.requiringNew().call(() -> DriveKey.ofDrive(driveId).stream()
                .map(k -> k.fingerprint).toList());
    }
}
