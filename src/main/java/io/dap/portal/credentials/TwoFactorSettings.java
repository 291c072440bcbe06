package io.dap.portal.credentials;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.session.LoginService;
import io.dap.portal.twofactor.TwoFactorService;
import io.dap.portal.user.User;
import io.dap.portal.web.FormErrors;

/**
 * Settings › Two-factor's rules: turning it on needs the password and a first code, new recovery
 * codes need a code, turning it off needs both. Every password and code typed here is throttled
 * and audited like sign-in (LoginService).
 */
@ApplicationScoped
public class TwoFactorSettings {

    @Inject
    TwoFactorService twoFactor;

    @Inject
    LoginService logins;

    @Inject
    AuditLog audit;

    public sealed interface Result {
    }

    /** Recovery codes to show once (empty when none were made). */
    public record Done(List<String> recoveryCodes) implements Result {
    }

    public record Refused(FormErrors errors) implements Result {
    }

    /** The state moved on meanwhile (another tab): nothing to do. */
    public record Stale(String message) implements Result {
    }

    @Transactional
    public Result enable(Long userId, String password, String code, String clientAddress) {
        User user = User.findById(userId);
        FormErrors errors = new FormErrors();
        if (blank(code)) {
            errors.add("code", "Enter the six-digit code your app shows now.");
        }
        checkPassword(user, password, clientAddress, "turn on two-factor sign-in", errors);
        if (!errors.isEmpty()) {
            return new Refused(errors);
        }
        TwoFactorService.EnableResult result = twoFactor.enable(user, code);
        if (result instanceof TwoFactorService.Enabled enabled) {
            return new Done(enabled.recoveryCodes());
        }
        if (result instanceof TwoFactorService.WrongCode) {
            audit.record(user, AuditAction.TWO_FACTOR_FAILED, Outcome.FAILURE, null, "turn on two-factor sign-in");
            return new Refused(new FormErrors().add("code", "That is not the code your app shows now. Check that"
                    + " the app added this portal and that your device's clock is right."));
        }
        return new Stale(result instanceof TwoFactorService.AlreadyEnabled ? "Two-factor sign-in is already on."
                : "Start the set-up again: there was no secret waiting for a code.");
    }

    @Transactional
    public Result regenerate(Long userId, String code, String clientAddress) {
        User user = User.findById(userId);
        if (!twoFactor.enabledFor(userId)) {
            return new Stale("Two-factor sign-in is off: there are no recovery codes to replace.");
        }
        FormErrors errors = new FormErrors();
        checkCode(user, code, clientAddress, "new recovery codes", errors);
        if (!errors.isEmpty()) {
            return new Refused(errors);
        }
        return new Done(twoFactor.regenerateRecoveryCodes(user));
    }

    @Transactional
    public Result disable(Long userId, String password, String code, String clientAddress) {
        User user = User.findById(userId);
        if (!twoFactor.enabledFor(userId)) {
            return new Stale("Two-factor sign-in was already off.");
        }
        FormErrors errors = new FormErrors();
        checkPassword(user, password, clientAddress, "turn off two-factor sign-in", errors);
        if (errors.isEmpty()) {
            checkCode(user, code, clientAddress, "turning off two-factor sign-in", errors);
        }
        if (!errors.isEmpty()) {
            return new Refused(errors);
        }
        twoFactor.disable(user);
        return new Done(List.of());
    }

    private void checkPassword(User user, String password, String clientAddress, String purpose, FormErrors errors) {
        if (blank(password)) {
            errors.add("password", "Enter your password.");
            return;
        }
        LoginService.Result checked = logins.confirmPassword(user, password, clientAddress);
        if (checked instanceof LoginService.Throttled) {
            errors.add("password", "Too many wrong passwords or codes. Wait a few minutes and try again.");
        } else if (!(checked instanceof LoginService.Confirmed)) {
            errors.add("password", "This is not your password.");
            audit.record(user, AuditAction.LOGIN_FAILED, Outcome.FAILURE, null, "wrong password to " + purpose);
        }
    }

    private void checkCode(User user, String code, String clientAddress, String purpose, FormErrors errors) {
        if (blank(code)) {
            errors.add("code", "Enter the code your app shows now, or a recovery code.");
            return;
        }
        LoginService.Result checked = logins.confirmCode(user, code, clientAddress, purpose);
        if (checked instanceof LoginService.Throttled) {
            errors.add("code", "Too many wrong passwords or codes. Wait a few minutes and try again.");
        } else if (!(checked instanceof LoginService.Confirmed)) {
            errors.add("code", "That code is not right, or was already used. Wait for the next one in your app.");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
