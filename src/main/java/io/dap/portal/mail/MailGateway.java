package io.dap.portal.mail;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;

/** The one place that talks to SMTP (or the mock mailer); a seam for tests of failing delivery. */
@ApplicationScoped
public class MailGateway {

    @Inject
    Mailer mailer;

    public void send(OutboxMail mail) {
        mailer.send(Mail.withHtml(mail.recipient, mail.subject, mail.htmlBody).setText(mail.textBody));
    }
}
