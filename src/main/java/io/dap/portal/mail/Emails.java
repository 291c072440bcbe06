package io.dap.portal.mail;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.user.User;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Times;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Every mail the portal sends: type-safe templates in templates/mail/, each as .html and .txt. */
@ApplicationScoped
public class Emails {

    @CheckedTemplate(basePath = "mail")
    static class Templates {
        static native TemplateInstance activation(String name, String link, String validFor);

        static native TemplateInstance signupRepeated(String name, String loginLink, String resetLink);

        static native TemplateInstance passwordReset(String name, String link, String validFor);

        static native TemplateInstance passwordChanged(String name, String resetLink);

        static native TemplateInstance invitation(String inviter, String what, String role, String link,
                String validFor, boolean newAccount);

        static native TemplateInstance invitationAnswered(String name, String who, String verb, String what,
                String link);

        static native TemplateInstance delegateLeft(String name, String who, String what, String link);

        static native TemplateInstance accessEnded(String name, String by, List<String> what, String link);

        static native TemplateInstance roleChanged(String name, String by, String what, String from, String to,
                String link);

        static native TemplateInstance accessEnding(String name, String what, String role, String endsAt,
                String owner, String link);

        static native TemplateInstance apiTokenRevoked(String name, String by, String tokenName, String what,
                String link);

        static native TemplateInstance impersonationStarted(String name, String who, String whoEmail,
                String reason, String until, String link);

        static native TemplateInstance twoFactorEnabled(String name, String link);

        static native TemplateInstance twoFactorDisabled(String name, String link);

        static native TemplateInstance recoveryCodeUsed(String name, long left, String link);

        static native TemplateInstance twoFactorRequired(String name, String owner, String account, String link);

        static native TemplateInstance emailChangeLink(String name, String newEmail, String link, String validFor);

        static native TemplateInstance emailChangeRequested(String name, String newEmail, String link);

        static native TemplateInstance emailChanged(String name, String newEmail, String link);

        static native TemplateInstance emailChangeTaken(String name, String link);

        static native TemplateInstance supportActingStarted(String name, String who, String whoEmail, String reason,
                String until, String link);

        static native TemplateInstance operatorAction(String name, String who, String whoEmail, String what,
                String reason, String link);
    }

    @Inject
    Outbox outbox;

    @Inject
    PortalConfig config;

    @Transactional(Transactional.TxType.MANDATORY)
    public void activation(User user, String token) {
        outbox.enqueue(user.email, "Activate your portal account", "activation",
                Templates.activation(user.displayName, link("/activate/" + token),
                        Times.describe(config.activation().tokenTtl())), config.activation().tokenTtl());
    }

    /** Someone signed up with an address that already has an account: tell its owner, nobody else. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void signupRepeated(User user) {
        outbox.enqueue(user.email, "Someone tried to sign up with your address", "signup-repeated",
                Templates.signupRepeated(user.displayName, link("/login"), link("/forgot-password")));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void passwordReset(User user, String token) {
        outbox.enqueue(user.email, "Reset your portal password", "password-reset",
                Templates.passwordReset(user.displayName, link("/reset-password/" + token),
                        Times.describe(config.passwordReset().tokenTtl())), config.passwordReset().tokenTtl());
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void passwordChanged(User user) {
        outbox.enqueue(user.email, "Your portal password was changed", "password-changed",
                Templates.passwordChanged(user.displayName, link("/forgot-password")));
    }

    /**
     * An invitation (R8). For an address without an account yet, the same link also lets the
     * person choose a password, so one mail is enough.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public OutboxMail invitation(User invitee, String token, String inviter, String what, String role,
            boolean newAccount) {
        return outbox.enqueue(invitee.email, inviter + " invites you to " + what, "invitation",
                Templates.invitation(inviter, what, role, link("/invitations/" + token),
                        Times.describe(config.invitation().tokenTtl()), newAccount), config.invitation().tokenTtl());
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void invitationAnswered(User granter, String who, String verb, String what, String sharingPath) {
        outbox.enqueue(granter.email, who + " " + verb + " your invitation", "invitation-" + verb,
                Templates.invitationAnswered(granter.displayName, who, verb, what, link(sharingPath)));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void delegateLeft(User granter, String who, String what, String sharingPath) {
        outbox.enqueue(granter.email, who + " left " + what, "delegate-left",
                Templates.delegateLeft(granter.displayName, who, what, link(sharingPath)));
    }

    /** The delegate hears that access they held ended (never the label the granter gave it). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void accessEnded(User grantee, String by, List<String> what) {
        outbox.enqueue(grantee.email, "Your access to " + what.get(0) + (what.size() > 1 ? " and more" : "")
                + " ended", "access-ended", Templates.accessEnded(grantee.displayName, by, what,
                        link("/settings/shared-with-me")));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void roleChanged(User grantee, String by, String what, String from, String to) {
        outbox.enqueue(grantee.email, "Your role on " + what + " is now " + to, "role-changed",
                Templates.roleChanged(grantee.displayName, by, what, from, to, link("/settings/shared-with-me")));
    }

    /** Sent once, a few days before a time-limited grant ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void accessEnding(User grantee, String what, String role, Instant endsAt, String owner) {
        outbox.enqueue(grantee.email, "Your access to " + what + " ends on " + Times.utc(endsAt), "access-ending",
                Templates.accessEnding(grantee.displayName, what, role, Times.utc(endsAt), owner,
                        link("/settings/shared-with-me")));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apiTokenRevoked(User creator, String by, String tokenName, String what) {
        outbox.enqueue(creator.email, "Your API token " + tokenName + " was revoked", "api-token-revoked",
                Templates.apiTokenRevoked(creator.displayName, by, tokenName, what, link("/settings/api-tokens")));
    }

    /** R10: the owner hears of every impersonation as it starts, with a link to end it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void impersonationStarted(User owner, String who, String whoEmail, String reason, Instant until,
            String sharingPath) {
        outbox.enqueue(owner.email, who + " is acting as you for billing", "impersonation-started",
                Templates.impersonationStarted(owner.displayName, who, whoEmail, reason, Times.utc(until),
                        link(sharingPath)));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void twoFactorEnabled(User user) {
        outbox.enqueue(user.email, "Two-factor sign-in is on", "two-factor-enabled",
                Templates.twoFactorEnabled(user.displayName, link("/settings/two-factor")));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void twoFactorDisabled(User user) {
        outbox.enqueue(user.email, "Two-factor sign-in was turned off", "two-factor-disabled",
                Templates.twoFactorDisabled(user.displayName, link("/forgot-password")));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void recoveryCodeUsed(User user, long left) {
        outbox.enqueue(user.email, "A recovery code was used", "recovery-code-used",
                Templates.recoveryCodeUsed(user.displayName, left, link("/settings/two-factor")));
    }

    /** R19: a delegate without a second factor, told once when the owner starts requiring one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void twoFactorRequired(String email, String name, String owner, String account) {
        outbox.enqueue(email, owner + " requires two-factor sign-in", "two-factor-required",
                Templates.twoFactorRequired(name, owner, account, link("/settings/two-factor")));
    }

    /** The link that proves the new address; it goes to the new address only. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void emailChangeLink(User user, String newEmail, String token) {
        outbox.enqueue(newEmail, "Confirm your new portal address", "email-change-link",
                Templates.emailChangeLink(user.displayName, newEmail, link("/settings/email/confirm/" + token),
                        Times.describe(config.activation().tokenTtl())), config.activation().tokenTtl());
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void emailChangeRequested(User user, String newEmail) {
        outbox.enqueue(user.email, "A change of your portal address was requested", "email-change-requested",
                Templates.emailChangeRequested(user.displayName, newEmail, link("/settings/sessions")));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void emailChanged(String oldEmail, String name, String newEmail) {
        outbox.enqueue(oldEmail, "Your portal address was changed", "email-changed",
                Templates.emailChanged(name, newEmail, link("/forgot-password")));
    }

    /** Someone asked to move their account to an address that already has one: its owner hears, nobody else. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void emailChangeTaken(User owner) {
        outbox.enqueue(owner.email, "Someone tried to use your address", "email-change-taken",
                Templates.emailChangeTaken(owner.displayName, link("/login")));
    }

    /** R21: the user hears at once that support is acting as them, why, and until when. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void supportActingStarted(User user, String who, String whoEmail, String reason, Instant until) {
        outbox.enqueue(user.email, "The portal's support staff are acting as you", "support-acting-started",
                Templates.supportActingStarted(user.displayName, who, whoEmail, reason, Times.utc(until),
                        link("/settings/security-log")));
    }

    /**
     * R21: something the portal's support staff did that concerns this person; {@code what} completes
     * "they …" ("disabled your account"), {@code linkPath} is where to look.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void operatorAction(User to, String subject, String who, String whoEmail, String what, String reason,
            String linkPath) {
        outbox.enqueue(to.email, subject, "operator-action",
                Templates.operatorAction(to.displayName, who, whoEmail, what, reason, link(linkPath)));
    }

    private String link(String path) {
        String base = config.baseUrl();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }
}
