package io.dap.portal.support;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dap.portal.mail.OutboxSender;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;

/** Delivers the outbox now and reads what the mock mailer received. */
@ApplicationScoped
public class Mailbox {

    @Inject
    OutboxSender sender;

    @Inject
    MockMailbox mockMailbox;

    public List<Mail> deliverAndRead(String recipient) {
        sender.deliverDue();
        List<Mail> mails = mockMailbox.getMailsSentTo(recipient);
        return mails == null ? List.of() : mails;
    }

    public Mail single(String recipient) {
        List<Mail> mails = deliverAndRead(recipient);
        if (mails.size() != 1) {
            throw new AssertionError("expected one mail to " + recipient + " but found " + mails.size());
        }
        return mails.get(0);
    }

    /** The path of the first portal link in the mail's text that starts with the given path prefix. */
    public static String linkPath(Mail mail, String pathPrefix) {
        Matcher matcher = Pattern.compile("https?://[^/\\s]+(" + Pattern.quote(pathPrefix) + "[^\\s]*)")
                .matcher(mail.getText());
        if (!matcher.find()) {
            throw new AssertionError("no link to " + pathPrefix + " in: " + mail.getText());
        }
        return matcher.group(1);
    }

    public void clear() {
        mockMailbox.clear();
    }
}
