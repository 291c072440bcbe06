package io.dap.portal.dev;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.dap.portal.mail.MailGateway;
import io.dap.portal.mail.OutboxMail;
import io.dap.portal.mail.OutboxSender;
import io.dap.portal.web.Redirects;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Development only (absent from test and production builds): every mail the portal queued,
 * newest first, with its links clickable so activation and invitations can be followed locally.
 */
@IfBuildProfile("dev")
@Path("/dev/mail")
@Produces(MediaType.TEXT_HTML)
public class DevMailResource {

    private static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"]+");

    public record MailView(Long id, String recipient, String subject, String status, String sentAt, String text,
            List<String> links) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance mails(List<MailView> mails);
    }

    @Inject
    OutboxSender sender;

    @Inject
    Instance<MockMailbox> mockMailbox;

    @GET
    @Transactional
    public TemplateInstance list() {
        List<OutboxMail> rows = OutboxMail.find("order by id desc").page(0, 50).list();
        List<MailView> views = rows.stream().map(m -> {
            String text = sentText(m);
            return new MailView(m.id, m.recipient, m.subject, m.status.name(),
                    m.sentAt == null ? "" : m.sentAt.toString(), text, links(text));
        }).toList();
        return Templates.mails(views);
    }

    /**
     * The outbox keeps a sent mail without its link's token; the mock mailer still holds what it
     * "sent" (in memory, until a restart), so the links stay clickable here.
     */
    private String sentText(OutboxMail row) {
        if (row.status != OutboxMail.Status.SENT || !mockMailbox.isResolvable()) {
            return row.textBody;
        }
        List<Mail> sent = mockMailbox.get().getMailsSentTo(row.recipient);
        if (sent == null) {
            return row.textBody;
        }
        return sent.stream().filter(mail -> row.id.toString().equals(first(mail.getHeaders()
                .get(MailGateway.MAIL_ID_HEADER)))).map(Mail::getText).findFirst().orElse(row.textBody);
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @POST
    @Path("deliver")
    public Response deliverNow() {
        sender.deliverDue();
        return Redirects.seeOther("/dev/mail");
    }

    private static List<String> links(String text) {
        List<String> links = new ArrayList<>();
        Matcher matcher = LINK.matcher(text);
        while (matcher.find()) {
            links.add(matcher.group());
        }
        return links;
    }
}
