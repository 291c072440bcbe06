package io.dap.portal.twofactor;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.mail.Emails;
import io.dap.portal.user.User;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.TimeSource;

/**
 * The second factor (R19): enrolment, the check of a code or a recovery code, recovery codes,
 * and turning it off. Password re-entry and throttling are the callers' (LoginService) business;
 * this class only knows whether a code is right, and makes each code count once.
 */
@ApplicationScoped
public class TwoFactorService {

    private static final Logger LOG = Logger.getLogger(TwoFactorService.class);

    @Inject
    SecretCipher cipher;

    @Inject
    TimeSource time;

    @Inject
    PortalConfig config;

    @Inject
    AuditLog audit;

    @Inject
    Emails emails;

    /** What the enrolment page shows while a secret waits for its first code. */
    public record Enrolment(String secretText, String otpauthUri, String qrSvg) {

        /** The secret in groups of four, easier to type. */
        public String secretGroups() {
            return secretText.replaceAll("(.{4})(?!$)", "$1 ");
        }
    }

    public sealed interface EnableResult {
    }

    /** The recovery codes exist in clear only in this result, to be shown once. */
    public record Enabled(List<String> recoveryCodes) implements EnableResult {
    }

    public record WrongCode() implements EnableResult {
    }

    public record NothingToConfirm() implements EnableResult {
    }

    public record AlreadyEnabled() implements EnableResult {
    }

    public enum Check {
        AUTHENTICATOR_CODE, RECOVERY_CODE, WRONG, NOT_ENABLED;

        public boolean accepted() {
            return this == AUTHENTICATOR_CODE || this == RECOVERY_CODE;
        }
    }

    @Transactional
    public boolean enabledFor(Long userId) {
        return TwoFactor.enabledFor(userId);
    }

    @Transactional
    public long recoveryCodesLeft(Long userId) {
        return RecoveryCode.unusedOf(userId);
    }

    /** A new secret waiting for its first code; replaces one still waiting. False when already enabled. */
    @Transactional
    public boolean startEnrolment(Long userId) {
        User user = User.findById(userId);
        TwoFactor row = TwoFactor.findById(user.id, LockModeType.PESSIMISTIC_WRITE);
        if (row != null && row.enabled()) {
            return false;
        }
        if (row == null) {
            row = new TwoFactor();
            row.userId = user.id;
            row.secretCiphertext = cipher.encrypt(user.id, Totp.newSecret());
            row.enrolmentStartedAt = time.now();
            row.persist();
            // Two first clicks at once meet the primary key here, inside this method.
            TwoFactor.flush();
        } else {
            row.secretCiphertext = cipher.encrypt(user.id, Totp.newSecret());
            row.enrolmentStartedAt = time.now();
            row.lastUsedStep = null;
        }
        audit.record(user, AuditAction.TWO_FACTOR_SETUP_STARTED, Outcome.SUCCESS, null, null);
        return true;
    }

    /** The secret waiting for its first code, for the enrolment page (a GET: nothing changes). */
    @Transactional
    public Optional<Enrolment> enrolment(User user) {
        TwoFactor row = TwoFactor.findById(user.id);
        if (row == null || row.enabled()) {
            return Optional.empty();
        }
        Optional<byte[]> clear = secretOf(row);
        if (clear.isEmpty()) {
            return Optional.empty();
        }
        String secret = Base32.encode(clear.get());
        String uri = otpauthUri(user.email, secret);
        return Optional.of(new Enrolment(secret, uri, QrSvg.of(uri, "QR code to scan with your authenticator app")));
    }

    /**
     * Turns the second factor on once a current code proves the app holds the secret (the caller
     * has checked the password). The code's step is marked used, so it cannot also sign in.
     */
    @Transactional
    public EnableResult enable(User user, String code) {
        TwoFactor row = TwoFactor.findById(user.id, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            return new NothingToConfirm();
        }
        if (row.enabled()) {
            return new AlreadyEnabled();
        }
        Instant now = time.now();
        Optional<byte[]> secret = secretOf(row);
        if (secret.isEmpty()) {
            return new NothingToConfirm();
        }
        OptionalLong step = Totp.matchingStep(secret.get(), code, now);
        if (step.isEmpty()) {
            return new WrongCode();
        }
        row.enabledAt = now;
        row.lastUsedStep = step.getAsLong();
        List<String> codes = newRecoveryCodes(user.id, now);
        audit.record(user, AuditAction.TWO_FACTOR_ENABLED, Outcome.SUCCESS, null,
                codes.size() + " recovery codes issued");
        emails.twoFactorEnabled(user);
        return new Enabled(codes);
    }

    /**
     * A code from the authenticator (six digits, within one step of now, newer than any accepted
     * before) or an unused recovery code, which is spent. Wrong codes are the caller's to count.
     */
    @Transactional
    public Check check(User user, String typed) {
        TwoFactor row = TwoFactor.findById(user.id);
        if (row == null || !row.enabled()) {
            return Check.NOT_ENABLED;
        }
        Instant now = time.now();
        if (Totp.normalise(typed) != null) {
            Optional<byte[]> secret = secretOf(row);
            OptionalLong step = secret.isEmpty() ? OptionalLong.empty() : Totp.matchingStep(secret.get(), typed, now);
            return step.isPresent() && TwoFactor.markUsed(user.id, step.getAsLong()) ? Check.AUTHENTICATOR_CODE
                    : Check.WRONG;
        }
        String hash = RecoveryCode.hashOf(user.id, typed);
        if (hash == null || !RecoveryCode.consume(user.id, hash, now)) {
            return Check.WRONG;
        }
        long left = RecoveryCode.unusedOf(user.id);
        audit.record(user, AuditAction.RECOVERY_CODE_USED, Outcome.SUCCESS, null, left + " left");
        emails.recoveryCodeUsed(user, left);
        return Check.RECOVERY_CODE;
    }

    /** Ten new codes; every earlier one stops working. The caller has checked a code. */
    @Transactional
    public List<String> regenerateRecoveryCodes(User user) {
        RecoveryCode.delete("userId", user.id);
        List<String> codes = newRecoveryCodes(user.id, time.now());
        audit.record(user, AuditAction.RECOVERY_CODES_REGENERATED, Outcome.SUCCESS, null, null);
        return codes;
    }

    /** Off: the secret and the recovery codes are deleted. The caller has checked the password and a code. */
    @Transactional
    public boolean disable(User user) {
        RecoveryCode.delete("userId", user.id);
        long deleted = TwoFactor.delete("userId = ?1 and enabledAt is not null", user.id);
        if (deleted == 1) {
            audit.record(user, AuditAction.TWO_FACTOR_DISABLED, Outcome.SUCCESS, null, null);
            emails.twoFactorDisabled(user);
        }
        return deleted == 1;
    }

    /**
     * The clear secret, or nothing when it cannot be decrypted (the key was changed or lost): codes
     * from the app then fail like wrong ones, and recovery codes, which need no secret, still work.
     */
    private Optional<byte[]> secretOf(TwoFactor row) {
        try {
            return Optional.of(cipher.decrypt(row.userId, row.secretCiphertext));
        } catch (IllegalStateException e) {
            LOG.warnf("The two-factor secret of user %d cannot be decrypted with the configured key", row.userId);
            return Optional.empty();
        }
    }

    private List<String> newRecoveryCodes(Long userId, Instant now) {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < RecoveryCode.PER_USER; i++) {
            String code = RecoveryCode.newCode();
            RecoveryCode row = new RecoveryCode();
            row.userId = userId;
            row.codeHash = RecoveryCode.hashOf(userId, code);
            row.createdAt = now;
            row.persist();
            codes.add(code);
        }
        return codes;
    }

    private String otpauthUri(String email, String secret) {
        String issuer = config.twoFactor().issuer();
        String label = encode(issuer) + ":" + encode(email);
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP.getSeconds();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
