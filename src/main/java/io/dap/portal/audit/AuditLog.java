package io.dap.portal.audit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.access.ApiCaller;
import io.dap.portal.access.AuditContext;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.user.User;
import io.dap.portal.web.ClientAddress;
import io.dap.portal.web.Page;
import io.dap.portal.web.TimeSource;
import io.quarkus.arc.Arc;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;

/** Writes the audit trail. Callers never pass secrets: targets and details are ids and names. */
@ApplicationScoped
public class AuditLog {

    /** An identical refusal within this long of the last one adds to its count instead of a new row. */
    static final Duration REFUSAL_FOLDING_WINDOW = Duration.ofMinutes(10);

    @Inject
    TimeSource time;

    @Inject
    ClientAddress clientAddress;

    @Inject
    ApiCaller apiCaller;

    @Transactional
    public void record(User user, AuditAction action, Outcome outcome, String target, String detail) {
        record(user == null ? null : user.id, user == null ? null : user.email, action, outcome, target, detail);
    }

    @Transactional
    public void record(Long userId, String email, AuditAction action, Outcome outcome, String target, String detail) {
        persist(newEvent(userId, email, null, action, outcome, target, detail));
    }

    /** A change made in an account, by the given real user. */
    @Transactional
    public void inAccount(Long accountId, Long userId, String email, AuditAction action, Outcome outcome,
            String target, String detail) {
        persist(newEvent(userId, email, accountId, action, outcome, target, detail));
    }

    /** An entry with everything spelt out: the subject and the impersonated owner when there are any. */
    public Entry entry(Long userId, String email, AuditAction action, Outcome outcome) {
        return new Entry(newEvent(userId, email, null, action, outcome, null, null));
    }

    /**
     * A refused authorization; written in its own transaction since the refusal rolls the request
     * back. The same refusal repeated (same user, account, action, target and client) within
     * {@link #REFUSAL_FOLDING_WINDOW} is counted on the existing row rather than written again.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordRefusal(Long userId, String email, Long accountId, AuditAction action, String target) {
        AuditEvent event = newEvent(userId, email, accountId, action, Outcome.REFUSED, target, null);
        mark(event);
        Map<String, Object> same = new LinkedHashMap<>();
        same.put("userId", event.userId);
        same.put("accountId", event.accountId);
        same.put("target", event.target);
        same.put("clientAddress", event.clientAddress);
        same.put("onBehalfOfId", event.onBehalfOfId);
        same.put("apiTokenId", event.apiTokenId);
        StringBuilder query = new StringBuilder("select max(e.id) from AuditEvent e where e.outcome = :outcome"
                + " and e.action = :action and e.occurredAt > :since");
        Parameters parameters = Parameters.with("outcome", Outcome.REFUSED).and("action", event.action)
                .and("since", event.occurredAt.minus(REFUSAL_FOLDING_WINDOW));
        same.forEach((field, value) -> {
            if (value == null) {
                query.append(" and e.").append(field).append(" is null");
            } else {
                query.append(" and e.").append(field).append(" = :").append(field);
                parameters.and(field, value);
            }
        });
        Long previous = AuditEvent.find(query.toString(), parameters).project(Long.class).firstResult();
        if (previous == null || AuditEvent.update("repeatCount = repeatCount + 1, lastRepeatedAt = ?1 where id = ?2",
                event.occurredAt, previous) == 0) {
            event.persist();
        }
    }

    /**
     * One user's security log, newest first: what they did, and what others did that concerns
     * them (grants they received, impersonations of them). A count and a page, two statements.
     */
    @Transactional
    public Page<AuditEvent> securityLog(Long userId, int page, int size) {
        PanacheQuery<AuditEvent> query = AuditEvent.find("userId = ?1 or subjectUserId = ?1 or onBehalfOfId = ?1"
                + " order by occurredAt desc, id desc", userId);
        return Page.of(query, page, size);
    }

    @Transactional
    void persist(AuditEvent event) {
        mark(event);
        event.persist();
    }

    /** Adds the impersonated owner when this request acts in the account it impersonates (R10). */
    private static void mark(AuditEvent event) {
        if (event.onBehalfOfId == null && Arc.container().requestContext().isActive()) {
            AuditContext.OnBehalfOf owner = Arc.container().instance(AuditContext.class).get()
                    .onBehalfOf(event.accountId);
            if (owner != null) {
                event.onBehalfOfId = owner.ownerId();
                event.onBehalfOfEmail = owner.ownerEmail();
            }
        }
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
        if (Arc.container().requestContext().isActive()) {
            event.clientAddress = clientAddress.value();
        }
        ApiCaller.Token token = Arc.container().requestContext().isActive() ? apiCaller.token() : null;
        if (token != null) {
            event.apiTokenId = token.id();
            event.apiTokenName = token.name();
        }
        return event;
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    /** A fluent entry for events that name more than an actor and a target. */
    public final class Entry {

        private final AuditEvent event;

        private Entry(AuditEvent event) {
            this.event = event;
        }

        public Entry inAccount(Long accountId) {
            event.accountId = accountId;
            return this;
        }

        public Entry about(Long subjectUserId) {
            event.subjectUserId = subjectUserId;
            return this;
        }

        public Entry onBehalfOf(Long ownerId, String ownerEmail) {
            event.onBehalfOfId = ownerId;
            event.onBehalfOfEmail = ownerEmail;
            return this;
        }

        public Entry target(String target) {
            event.target = truncate(target, 255);
            return this;
        }

        public Entry detail(String detail) {
            event.detail = truncate(detail, 1000);
            return this;
        }

        public void record() {
            AuditLog.this.persist(event);
        }
    }
}
