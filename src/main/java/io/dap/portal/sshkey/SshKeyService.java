package io.dap.portal.sshkey;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.hibernate.exception.ConstraintViolationException;

import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.user.User;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.SingleLineText;

/**
 * Settings › SSH keys. Drives receive copies of these keys when provisioned (R11), so adding or
 * deleting a key here never touches a {@link DriveKey}.
 */
@ApplicationScoped
public class SshKeyService {

    public static final int MAX_LABEL_LENGTH = 100;
    private static final String UNIQUE_FINGERPRINT = "uk_ssh_key_user_fingerprint";

    public sealed interface AddResult {
    }

    public record Added(SshKey key) implements AddResult {
    }

    /** Field errors named after the form fields {@code label} and {@code publicKey}. */
    public record Refused(FormErrors errors) implements AddResult {
    }

    @Inject
    TimeSource time;

    @Inject
    AuditLog audit;

    @Transactional
    public List<SshKey> list(Long userId) {
        return SshKey.ofUser(userId);
    }

    @Transactional
    public AddResult add(Long userId, String label, String publicKeyText) {
        FormErrors errors = new FormErrors();
        String name = SingleLineText.of(label, MAX_LABEL_LENGTH).value();
        // An empty label is fine: it defaults below.
        String labelProblem = labelProblem(name);
        if (labelProblem != null) {
            errors.add("label", labelProblem);
        }
        SshPublicKey parsed = null;
        try {
            parsed = SshPublicKey.parse(publicKeyText);
        } catch (SshKeyException e) {
            errors.add("publicKey", e.getMessage());
        }
        if (parsed != null) {
            duplicateOf(userId, parsed.fingerprintSha256()).ifPresent(existing -> errors.add("publicKey",
                    "You already added this key (label " + existing.label + ")."));
        }
        if (!errors.isEmpty()) {
            return new Refused(errors);
        }

        Instant now = time.now();
        User user = User.findById(userId);
        SshKey key = new SshKey();
        key.user = user;
        key.label = name.isEmpty() ? defaultLabel(parsed, now) : name;
        key.keyType = parsed.type();
        key.bits = parsed.bits();
        key.publicKey = parsed.canonical();
        key.fingerprint = parsed.fingerprintSha256();
        key.createdAt = now;
        key.persist();
        audit.record(user, AuditAction.SSH_KEY_ADDED, Outcome.SUCCESS, key.fingerprint, key.label);
        return new Added(key);
    }

    /**
     * False when the user has no such key. Someone else's key and a missing one look the same (R15)
     * and both are recorded as a refusal (R13).
     */
    @Transactional
    public boolean delete(Long userId, Long keyId) {
        Optional<SshKey> found = SshKey.find(
                "select k from SshKey k join fetch k.user where k.id = ?1 and k.user.id = ?2", keyId, userId)
                .firstResultOptional();
        if (found.isEmpty()) {
            audit.record(User.<User>findById(userId), AuditAction.ACCESS_NOT_FOUND, Outcome.REFUSED,
                    "ssh key " + keyId, null);
            return false;
        }
        SshKey key = found.get();
        key.delete();
        audit.record(key.user, AuditAction.SSH_KEY_DELETED, Outcome.SUCCESS, key.fingerprint, key.label);
        return true;
    }

    /**
     * Whether a failed {@link #add} lost a race against a concurrent add of the same key: the
     * check for duplicates passed in both requests and the unique constraint refused the second.
     */
    public static boolean isDuplicateInsert(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException violation && violation.getConstraintName() != null
                    && violation.getConstraintName().toLowerCase(Locale.ROOT).contains(UNIQUE_FINGERPRINT)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<SshKey> duplicateOf(Long userId, String fingerprint) {
        return SshKey.find("user.id = ?1 and fingerprint = ?2", userId, fingerprint).firstResultOptional();
    }

    /** Null when acceptable (the value is already cleaned), else the message for the field. */
    private static String labelProblem(String label) {
        return SingleLineText.of(label, MAX_LABEL_LENGTH).problem();
    }

    /** The key's comment (usually user@host) when it makes a valid label, else the day it was added. */
    private static String defaultLabel(SshPublicKey key, Instant now) {
        return !key.comment().isEmpty() && labelProblem(key.comment()) == null ? key.comment()
                : "Key added " + LocalDate.ofInstant(now, ZoneOffset.UTC);
    }
}
