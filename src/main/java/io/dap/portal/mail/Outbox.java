package io.dap.portal.mail;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.TimeSource;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.Variant;

/**
 * Queues a rendered mail in the caller's transaction: the mail exists if and only if the change does.
 * A mail that carries a single-use link says until when the link works: it is not sent after that,
 * and once sent (or given up on) its stored bodies keep the link without the token.
 */
@ApplicationScoped
public class Outbox {

    /** The subject column's size. */
    static final int MAX_SUBJECT = 255;
    /** Where a token stood in a link of a mail already sent. */
    static final String REDACTED = "(link-removed-after-sending)";
    /** A token in a portal link: 40 to 64 URL-safe characters as a whole path segment (web/Tokens). */
    private static final Pattern TOKEN_SEGMENT = Pattern.compile("(?<=/)[A-Za-z0-9_-]{40,64}(?=[/?#\"'<>\\s]|$)");

    @Inject
    TimeSource time;

    @Inject
    PortalConfig config;

    @Transactional(Transactional.TxType.MANDATORY)
    public OutboxMail enqueue(String recipient, String subject, String template, TemplateInstance content) {
        return enqueue(recipient, subject, template, content, null);
    }

    /** A mail whose link stops working {@code linkValidFor} from now: it is never sent later than that. */
    @Transactional(Transactional.TxType.MANDATORY)
    public OutboxMail enqueue(String recipient, String subject, String template, TemplateInstance content,
            Duration linkValidFor) {
        OutboxMail mail = new OutboxMail();
        mail.recipient = recipient;
        mail.subject = subject(subject);
        mail.template = template;
        mail.htmlBody = render(content, Variant.TEXT_HTML);
        mail.textBody = render(content, Variant.TEXT_PLAIN);
        mail.status = OutboxMail.Status.PENDING;
        mail.attempts = 0;
        mail.createdAt = time.now();
        mail.nextAttemptAt = mail.createdAt;
        mail.linkExpiresAt = linkValidFor == null ? null : mail.createdAt.plus(linkValidFor);
        mail.persist();
        return mail;
    }

    /**
     * One line that fits the column: whatever names or labels a subject was built from, it has no
     * line break (a header injection) and is cut with an ellipsis rather than failing the change
     * that sends it.
     */
    static String subject(String subject) {
        StringBuilder line = new StringBuilder(subject.length());
        subject.codePoints().forEach(c -> line.appendCodePoint(Character.isISOControl(c) || c == 0x2028
                || c == 0x2029 ? ' ' : c));
        String clean = line.toString().replaceAll("\\s+", " ").strip();
        if (clean.length() <= MAX_SUBJECT) {
            return clean;
        }
        int cut = MAX_SUBJECT - 1;
        if (Character.isLowSurrogate(clean.charAt(cut))) {
            cut--;
        }
        return clean.substring(0, cut).stripTrailing() + "\u2026";
    }

    /** The body with the token of every portal link replaced: what is kept once a mail was sent. */
    String redact(String body) {
        if (body == null) {
            return null;
        }
        String base = config.baseUrl().endsWith("/") ? config.baseUrl().substring(0, config.baseUrl().length() - 1)
                : config.baseUrl();
        Matcher links = Pattern.compile(Pattern.quote(base) + "/[^\\s\"'<>]*").matcher(body);
        StringBuilder redacted = new StringBuilder(body.length());
        while (links.find()) {
            links.appendReplacement(redacted,
                    Matcher.quoteReplacement(TOKEN_SEGMENT.matcher(links.group()).replaceAll(REDACTED)));
        }
        links.appendTail(redacted);
        return redacted.toString();
    }

    private static String render(TemplateInstance content, String contentType) {
        return content.setAttribute(TemplateInstance.SELECTED_VARIANT, Variant.forContentType(contentType)).render();
    }
}
