package io.dap.portal.sshkey;

import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.dap.portal.account.Account;
import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.support.Browser;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class SshKeysPageTest {

    private static final String PAGE = "/settings/ssh-keys";

    @Inject
    Users users;

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048", "rsa4096"})
    void everyKeyTypeIsAddedWithTheFingerprintSshKeygenPrints(String fixture) {
        // "256 SHA256:xxx comment (ED25519)", as ssh-keygen -l printed it
        String[] keygen = resource(fixture + ".pub.fingerprint").strip().split(" ");
        User user = users.active("key-" + fixture);
        Browser browser = signedIn(user);

        Response added = browser.post(PAGE, "label", "", "publicKey", resource(fixture + ".pub"));
        added.then().statusCode(303).header("Location", endsWith(PAGE));
        String page = browser.follow(added).then().statusCode(200).extract().asString();

        assertTrue(page.contains("<code class=\"mono\">" + keygen[1] + "</code>"), page);
        assertTrue(page.contains("(" + keygen[0] + " bits)"), page);
        assertTrue(page.contains("was added"), page);
        SshKey stored = onlyKeyOf(user);
        assertEquals(keygen[1], stored.fingerprint);
        assertEquals(resource(fixture + ".pub").strip().split(" ")[0], stored.keyType);
        assertEquals(Integer.parseInt(keygen[0]), stored.bits);
    }

    @Test
    void anEmptyLabelBecomesTheCommentOrTheDayTheKeyWasAdded() {
        QuarkusMock.installMockForType(new TimeSource(new MutableClock(Instant.parse("2031-05-06T10:15:00Z"))),
                TimeSource.class);
        User user = users.active("default-label");
        Browser browser = signedIn(user);
        browser.post(PAGE, "label", "  ", "publicKey", resource("ed25519.pub")).then().statusCode(303);
        browser.get(PAGE);
        browser.post(PAGE, "label", "", "publicKey", resource("ecdsa521.pub")).then().statusCode(303);

        String page = browser.get(PAGE).asString();
        assertTrue(page.contains("<td>alice@example.com</td>"), page);
        assertTrue(page.contains("<td>Key added 2031-05-06</td>"), page);
        assertTrue(page.contains("2031-05-06 10:15 UTC"), page);
    }

    @Test
    void theFormExplainsWhatToPaste() {
        String page = signedIn(users.active("empty")).get(PAGE).then().statusCode(200).extract().asString();
        assertTrue(page.contains("No SSH keys yet"), page);
        assertTrue(page.contains("<label for=\"f-publicKey\">Public key</label>"), page);
        assertTrue(page.contains("Paste the contents of your .pub file, e.g. ~/.ssh/id_ed25519.pub"), page);
        assertTrue(page.contains("href=\"/settings/ssh-keys\" aria-current=\"page\""), page);
    }

    @Test
    void aPrivateKeyIsRefusedAndNeverEchoedBack() {
        User user = users.active("private");
        Browser browser = signedIn(user);
        String privateKey = resource("ed25519.private");
        String page = browser.follow(browser.post(PAGE, "label", "oops", "publicKey", privateKey)).asString();

        assertTrue(page.contains("This looks like a private key. Paste the public key (the .pub file) instead."),
                page);
        assertFalse(page.contains(privateKey.lines().skip(1).findFirst().orElseThrow()), page);
        assertTrue(page.contains("value=\"oops\""), page);
        assertEquals(0, countKeysOf(user));
    }

    @Test
    void aTruncatedKeyIsRefusedAndRefilled() {
        User user = users.active("truncated");
        Browser browser = signedIn(user);
        String truncated = resource("ed25519.pub").substring(0, "ssh-ed25519 ".length() + 40);
        String page = browser.follow(browser.post(PAGE, "label", "cut", "publicKey", truncated)).asString();

        assertTrue(page.contains("The key data is truncated or malformed; make sure the whole key was copied."), page);
        assertTrue(page.contains(">" + truncated + "</textarea>"), page);
        assertTrue(page.contains("aria-invalid=\"true\""), page);
        assertEquals(0, countKeysOf(user));
    }

    @Test
    void aShortRsaKeyIsRefused() {
        User user = users.active("rsa1024");
        Browser browser = signedIn(user);
        String page = browser.follow(browser.post(PAGE, "label", "", "publicKey", resource("rsa1024.pub")))
                .asString();
        assertTrue(page.contains("RSA keys must be at least 2048 bits; this one has 1024."), page);
        assertEquals(0, countKeysOf(user));
    }

    @Test
    void anOverlongLabelIsRefusedWithBothFieldsRefilled() {
        User user = users.active("long-label");
        Browser browser = signedIn(user);
        String label = "x".repeat(101);
        String page = browser.follow(browser.post(PAGE, "label", label, "publicKey", resource("ed25519.pub")))
                .asString();
        assertTrue(page.contains("Use at most 100 characters."), page);
        assertTrue(page.contains("value=\"" + label + "\""), page);
        assertTrue(page.contains(resource("ed25519.pub").strip() + "</textarea>"), page);
        assertEquals(0, countKeysOf(user));
    }

    @Test
    void theSameKeyTwiceIsRefusedNamingTheFirstLabel() {
        User user = users.active("duplicate");
        Browser browser = signedIn(user);
        browser.post(PAGE, "label", "work laptop", "publicKey", resource("ed25519.pub")).then().statusCode(303);
        browser.get(PAGE);
        String page = browser.follow(browser.post(PAGE, "label", "again", "publicKey",
                "ssh-ed25519   " + resource("ed25519.pub").split(" ")[1] + " other comment")).asString();

        assertTrue(page.contains("You already added this key (label work laptop)."), page);
        assertEquals(1, countKeysOf(user));
    }

    @Test
    void theSameKeyAddedConcurrentlyIsStoredOnceAndNeverFails() throws Exception {
        User user = users.active("race");
        int browsers = 6;
        List<Browser> tabs = new ArrayList<>();
        for (int i = 0; i < browsers; i++) {
            tabs.add(signedIn(user));
        }
        ExecutorService pool = Executors.newFixedThreadPool(browsers);
        try {
            List<Callable<Integer>> posts = tabs.stream().<Callable<Integer>>map(tab -> () -> tab
                    .post(PAGE, "label", "", "publicKey", resource("rsa4096.pub")).statusCode()).toList();
            for (Future<Integer> status : pool.invokeAll(posts)) {
                assertEquals(303, status.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, countKeysOf(user));
    }

    @Test
    void deletingOwnKeyRemovesTheRow() {
        User user = users.active("delete");
        Browser browser = signedIn(user);
        browser.post(PAGE, "label", "old", "publicKey", resource("ecdsa256.pub")).then().statusCode(303);
        String page = browser.get(PAGE).asString();
        assertTrue(page.contains("Delete<span class=\"visually-hidden\"> key old</span>"), page);

        Response deleted = browser.post(deleteAction(onlyKeyOf(user)), Map.of());
        deleted.then().statusCode(303).header("Location", endsWith(PAGE));
        page = browser.follow(deleted).asString();
        assertTrue(page.contains("The SSH key was deleted."), page);
        assertTrue(page.contains("No SSH keys yet"), page);
        assertEquals(0, countKeysOf(user));
    }

    @Test
    void anotherUsersKeyIsNotFoundAndStays() {
        User owner = users.active("owner");
        Browser ownerBrowser = signedIn(owner);
        ownerBrowser.post(PAGE, "label", "mine", "publicKey", resource("ed25519.pub")).then().statusCode(303);
        SshKey key = onlyKeyOf(owner);

        User stranger = users.active("stranger");
        Browser strangerBrowser = signedIn(stranger);
        strangerBrowser.get(PAGE);
        strangerBrowser.post(deleteAction(key), Map.of()).then().statusCode(404);
        strangerBrowser.post(PAGE + "/not-a-number/delete", Map.of()).then().statusCode(404);
        strangerBrowser.post(PAGE + "/0/delete", Map.of()).then().statusCode(404);

        assertEquals(1, countKeysOf(owner));
        assertEquals(1L, QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "userId = ?1 and action = 'ACCESS_NOT_FOUND' and target = ?2", stranger.id, "ssh key " + key.id)));
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefusedAndChangesNothing() {
        User user = users.active("csrf");
        Browser browser = signedIn(user);
        browser.post(PAGE, "label", "kept", "publicKey", resource("ed25519.pub")).then().statusCode(303);
        SshKey key = onlyKeyOf(user);
        browser.get(PAGE);

        browser.postRaw(PAGE, Map.of("label", "", "publicKey", resource("rsa2048.pub"))).then().statusCode(400);
        browser.postRaw(deleteAction(key), Map.of()).then().statusCode(400);
        assertEquals(key.id, onlyKeyOf(user).id);
    }

    @Test
    void theAuditTrailHasTheFingerprintButNeverTheKey() {
        User user = users.active("audit");
        Browser browser = signedIn(user);
        String keyText = resource("rsa2048.pub");
        browser.post(PAGE, "label", "audited", "publicKey", keyText).then().statusCode(303);
        SshKey key = onlyKeyOf(user);
        browser.get(PAGE);
        browser.post(deleteAction(key), Map.of()).then().statusCode(303);

        List<AuditEvent> events = QuarkusTransaction.requiringNew().call(() -> AuditEvent.list("userId = ?1 order by id", user.id));
        String base64 = keyText.split(" ")[1];
        for (AuditEvent event : events) {
            for (String value : new String[] {event.target, event.detail}) {
                assertFalse(value != null && value.contains(base64.substring(0, 40)), event.action + ": " + value);
            }
        }
        assertEquals(List.of(key.fingerprint, key.fingerprint), events.stream()
                .filter(e -> e.action.startsWith("SSH_KEY_")).map(e -> e.target).toList());
    }

    @Test
    void deletingAKeyLeavesTheCopyOnAnExistingDriveAlone() {
        User user = users.active("snapshot");
        Browser browser = signedIn(user);
        browser.post(PAGE, "label", "on a drive", "publicKey", resource("ed25519.pub")).then().statusCode(303);
        Long copyId = QuarkusTransaction.requiringNew().call(() -> provisionedDriveWith(onlyKeyOf(user)));
        browser.get(PAGE);
        browser.post(deleteAction(onlyKeyOf(user)), Map.of()).then().statusCode(303);

        DriveKey copy = QuarkusTransaction.requiringNew().call(() -> DriveKey.findById(copyId));
        assertEquals("on a drive", copy.label);
        assertEquals(null, copy.removedAt);
        assertEquals(0, countKeysOf(user));
    }

    private static Long provisionedDriveWith(SshKey detached) {
        SshKey key = SshKey.findById(detached.id);
        Instant now = Instant.now();
        Infrastructure infrastructure = new Infrastructure();
        infrastructure.account = Account.findByOwner(key.user.id).orElseThrow();
        infrastructure.label = "web";
        infrastructure.description = "";
        infrastructure.status = Infrastructure.Status.DEPLOYED;
        infrastructure.createdBy = key.user;
        infrastructure.createdAt = now;
        infrastructure.persist();
        Drive drive = new Drive();
        drive.infrastructure = infrastructure;
        drive.label = "disk";
        drive.sizeGb = 10;
        drive.status = Drive.Status.RUNNING;
        drive.createdAt = now;
        drive.provisionedAt = now;
        drive.persist();
        DriveKey copy = DriveKey.snapshot(drive, key, now);
        copy.persist();
        return copy.id;
    }

    private static Browser signedIn(User user) {
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        browser.get(PAGE).then().statusCode(200);
        return browser;
    }

    private static String deleteAction(SshKey key) {
        return PAGE + "/" + key.id + "/delete";
    }

    private static long countKeysOf(User user) {
        return QuarkusTransaction.requiringNew().call(() -> SshKey.count("user.id", user.id));
    }

    private static SshKey onlyKeyOf(User user) {
        List<SshKey> keys = QuarkusTransaction.requiringNew().call(() -> SshKey.ofUser(user.id));
        assertEquals(1, keys.size());
        return keys.get(0);
    }

    private static String resource(String name) {
        try (InputStream in = SshKeysPageTest.class.getResourceAsStream("/sshkeys/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
