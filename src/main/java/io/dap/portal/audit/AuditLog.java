package io.dap.portal.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.user.User;
import io.dap.portal.web.ClientAddress;
import io.dap.portal.web.Page;
import io.dap.portal.web.TimeSource;
import io.quarkus.arc.Arc;
import io.quarkus.hibernate.orm.panache.PanacheQuery;

/** Writes the audit trail. Callers never pass secrets: targets and details are ids and names. */
@ApplicationScoped
public class AuditLog {

    @Inject
    TimeSource time;

    @Inject
    ClientAddress clientAddress;

    @Transactional
    public void record(User user, AuditAction action, Outcome outcome, String target, String detail) {
        record(user == null ? null : user.id, user == null ? null : user.email, action, outcome, target, detail);
    }

    @Transactional
    public void record(Long userId, String email, AuditAction action, Outcome outcome, String target, String detail) {
        newEvent(userId, email, null, action, outcome, target, detail).persist();
    }

    /** A change made in an account, by the given real user. */
    @Transactional
    public void inAccount(Long accountId, Long userId, String email, AuditAction action, Outcome outcome,
            String target, String detail) {
        newEvent(userId, email, accountId, action, outcome, target, detail).persist();
    }

    /** A refused authorization; written in its own transaction since the refusal rolls the request back. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordRefusal(Long userId, String email, Long accountId, AuditAction action, String target) {
        newEvent(userId, email, accountId, action, Outcome.REFUSED, target, null).persist();
    }

    /** One user's own entries, newest first: a count and a page, two statements whatever the size. */
    @Transactional
    public Page<AuditEvent> securityLog(Long userId, int page, int size) {
        PanacheQuery<AuditEvent> query = AuditEvent.find("userId = ?1 order by occurredAt desc, id desc", userId);
        return Page.of(query, page, size);
    }

    private AuditEvent newEvent(Long userId, String email, Long accountId, AuditAction action, Outcome outcome,
            String target, String detail) {
        AuditEvent event = new AuditEvent();
        event.occurredAt = time.now();
        event.userId = userId;
        event.userEmail = email;
        event.accountId = accountId;
        event.action = action.name();
        event.outcome = outcome;
        event.target = truncate(target, 255);
        event.detail = truncate(detail, 1000);
        event.clientAddress = Arc.container().requestContext().isActive() ? clientAddress.value() : null;
        return event;
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
