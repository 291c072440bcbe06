package io.dap.portal.mail;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.web.TimeSource;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.Variant;

/** Queues a rendered mail in the caller's transaction: the mail exists if and only if the change does. */
@ApplicationScoped
public class Outbox {

    @Inject
    TimeSource time;

    @Transactional(Transactional.TxType.MANDATORY)
    public OutboxMail enqueue(String recipient, String subject, String template, TemplateInstance content) {
        OutboxMail mail = new OutboxMail();
        mail.recipient = recipient;
        mail.subject = subject;
        mail.template = template;
        mail.htmlBody = render(content, Variant.TEXT_HTML);
        mail.textBody = render(content, Variant.TEXT_PLAIN);
        mail.status = OutboxMail.Status.PENDING;
        mail.attempts = 0;
        mail.createdAt = time.now();
        mail.nextAttemptAt = mail.createdAt;
        mail.persist();
        return mail;
    }

    private static String render(TemplateInstance content, String contentType) {
        return content.setAttribute(TemplateInstance.SELECTED_VARIANT, Variant.forContentType(contentType)).render();
    }
}
