package io.dap.portal.support;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.dap.portal.account.Account;
import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.sshkey.SshKey;
import io.dap.portal.sshkey.SshPublicKey;
import io.dap.portal.user.User;

/** Fixtures for resources: accounts' billing, infrastructures, drives and keys written directly. */
@ApplicationScoped
public class Accounts {

    @Transactional
    public Long accountOf(User user) {
        return Account.idOwnedBy(user.id);
    }

    /** A valid card on file, expiring far in the future. */
    @Transactional
    public void makeBillable(Long accountId) {
        Account account = Account.findById(accountId);
        account.cardHolder = "Test Holder";
        account.cardBrand = "Visa";
        account.cardLast4 = "4242";
        account.cardExpMonth = 12;
        account.cardExpYear = 2099;
    }

    @Transactional
    public void removePaymentMethod(Long accountId) {
        Account account = Account.findById(accountId);
        account.cardHolder = null;
        account.cardBrand = null;
        account.cardLast4 = null;
        account.cardExpMonth = null;
        account.cardExpYear = null;
    }

    @Transactional
    public Infrastructure infrastructure(Long accountId, User createdBy, String label) {
        Infrastructure infrastructure = new Infrastructure();
        infrastructure.account = Account.findById(accountId);
        infrastructure.label = label;
        infrastructure.description = "";
        infrastructure.status = Infrastructure.Status.DRAFT;
        infrastructure.createdBy = User.findById(createdBy.id);
        infrastructure.createdAt = Instant.now();
        infrastructure.persist();
        return infrastructure;
    }

    @Transactional
    public Drive pendingDrive(Long infrastructureId, String label, int sizeGb) {
        Drive drive = new Drive();
        drive.infrastructure = Infrastructure.findById(infrastructureId);
        drive.label = label;
        drive.sizeGb = sizeGb;
        drive.status = Drive.Status.PENDING;
        drive.createdAt = Instant.now();
        drive.persist();
        return drive;
    }

    @Transactional
    public SshKey key(User user, String label, String publicKeyText) throws Exception {
        SshPublicKey parsed = SshPublicKey.parse(publicKeyText);
        SshKey key = new SshKey();
        key.user = User.findById(user.id);
        key.label = label;
        key.keyType = parsed.type();
        key.bits = parsed.bits();
        key.publicKey = parsed.canonical();
        key.fingerprint = parsed.fingerprintSha256();
        key.createdAt = Instant.now();
        key.persist();
        return key;
    }

    @Transactional
    public void deleteKey(Long keyId) {
        SshKey.deleteById(keyId);
    }

    /** A fixture public key from src/test/resources/sshkeys. */
    public static String fixtureKey(String name) {
        try (var stream = Accounts.class.getResourceAsStream("/sshkeys/" + name + ".pub")) {
            return new String(stream.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
