package io.dap.portal.mail;

import java.time.Instant;

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

        static native TemplateInstance impersonationStarted(String name, String who, String whoEmail,
                String reason, String until, String link);
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

    /** R10: the owner hears of every impersonation as it starts, with a link to end it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void impersonationStarted(User owner, String who, String whoEmail, String reason, Instant until,
            String sharingPath) {
        outbox.enqueue(owner.email, who + " is acting as you for billing", "impersonation-started",
                Templates.impersonationStarted(owner.displayName, who, whoEmail, reason, Times.utc(until),
                        link(sharingPath)));
    }

    private String link(String path) {
        String base = config.baseUrl();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }
}
