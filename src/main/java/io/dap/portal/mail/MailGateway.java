package io.dap.portal.mail;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dap.portal.web.PortalConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.mailer.reactive.ReactiveMailer;

/** The one place that talks to SMTP (or the mock mailer); a seam for tests of failing delivery. */
@ApplicationScoped
public class MailGateway {

    /** Names the outbox row a mail came from (the dev mail page finds the sent copy by it). */
    public static final String MAIL_ID_HEADER = "X-Portal-Mail";

    @Inject
    Mailer mailer;

    @Inject
    ReactiveMailer reactiveMailer;

    @Inject
    PortalConfig config;

    /**
     * Sends, or throws. A server that accepts the connection and then never answers counts as a
     * failure after {@code portal.mail.outbox.send-timeout}, so one stuck server cannot stop the
     * outbox (the blocking mailer would wait for ever).
     */
    public void send(OutboxMail mail) {
        Mail message = Mail.withHtml(mail.recipient, mail.subject, mail.htmlBody).setText(mail.textBody);
        if (mail.id != null) {
            message.addHeader(MAIL_ID_HEADER, mail.id.toString());
        }
        if (reactiveMailer == null) {
            // a gateway made by hand in a test, around the blocking mailer only
            mailer.send(message);
            return;
        }
        reactiveMailer.send(message).await().atMost(config.mail().outbox().sendTimeout());
    }
}
