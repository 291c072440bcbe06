package io.dap.portal.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.access.ApiCaller;
import io.dap.portal.access.AuditContext;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.user.User;
import io.dap.portal.web.ClientAddress;
import io.dap.portal.web.Keyset;
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
        same.put("byOperator", event.byOperator);
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
     * them (grants they received, impersonations of them). Each of the three is read from its own
     * index in the page's order and the three are merged: three statements whatever the log holds.
     */
    @Transactional
    public Keyset<AuditEvent> securityLog(Long userId, String newer, String older, int size) {
        List<Condition> conditions = SECURITY_LOG_COLUMNS.stream()
                .map(column -> new Condition("e." + column + " = :user", "e." + column)).toList();
        return keyset(conditions, Map.of("user", userId), newer, older, size);
    }

    /**
     * The same log, newest first, for numbered pages (the operator console shows it beside other
     * numbered lists).
     */
    public static PanacheQuery<AuditEvent> securityLogQuery(Long userId) {
        return AuditEvent.find(String.join(" or ", SECURITY_LOG_COLUMNS.stream().map(column -> column + " = ?1")
                .toList()) + " order by occurredAt desc, id desc", userId);
    }

    /** What puts an event in a person's security log: they did it, it was done to them, or done as them. */
    private static final List<String> SECURITY_LOG_COLUMNS = List.of("userId", "subjectUserId", "onBehalfOfId");

    /**
     * A condition on {@code AuditEvent e} and the columns it fixes, in the order of the index that
     * answers it: they lead the ORDER BY, which changes nothing in the result but lets H2 read the
     * page from that index in order and stop after it (PostgreSQL does so on its own).
     */
    public record Condition(String where, String indexPrefix) {
    }

    /**
     * A page of events newest first, after ({@code older}) or before ({@code newer}) a position,
     * for events matching any of the conditions. Each condition is read on its own, from an index
     * in the page's order, for one row more than the page; the rows are merged here. One
     * statement per condition, and one more when a "newer" page reaches the top of the list.
     */
    @Transactional
    public Keyset<AuditEvent> keyset(List<Condition> conditions, Map<String, Object> parameters, String newer,
            String older, int size) {
        Optional<Keyset.Position> before = Keyset.Position.parse(older);
        Optional<Keyset.Position> after = before.isPresent() ? Optional.empty() : Keyset.Position.parse(newer);
        if (after.isPresent()) {
            List<AuditEvent> rows = read(conditions, parameters, after.get(), false, size);
            if (rows.size() > size) {
                List<AuditEvent> shown = new ArrayList<>(rows.subList(0, size));
                Collections.reverse(shown);
                return new Keyset<>(shown, position(shown.get(0)), position(shown.get(shown.size() - 1)));
            }
            // Nothing newer beyond this page: the newest page, full.
        }
        List<AuditEvent> rows = read(conditions, parameters, before.orElse(null), true, size);
        List<AuditEvent> shown = rows.subList(0, Math.min(size, rows.size()));
        return new Keyset<>(shown, before.isPresent() && !shown.isEmpty() ? position(shown.get(0)) : null,
                rows.size() > size ? position(shown.get(shown.size() - 1)) : null);
    }

    private static List<AuditEvent> read(List<Condition> conditions, Map<String, Object> parameters,
            Keyset.Position from, boolean older, int size) {
        String order = older ? "e.occurredAt desc, e.id desc" : "e.occurredAt, e.id";
        // The first comparison gives the index a range to start from; the second settles equal times.
        String position = from == null ? "" : older
                ? " and e.occurredAt <= :at and (e.occurredAt < :at or e.id < :id)"
                : " and e.occurredAt >= :at and (e.occurredAt > :at or e.id > :id)";
        Comparator<AuditEvent> newestFirst = Comparator.comparing((AuditEvent e) -> e.occurredAt)
                .thenComparing(e -> e.id).reversed();
        Map<Long, AuditEvent> merged = new HashMap<>();
        for (Condition condition : conditions) {
            var query = AuditEvent.getEntityManager().createQuery("select e from AuditEvent e where " + condition.where()
                    + position + " order by " + condition.indexPrefix() + ", " + order, AuditEvent.class);
            parameters.forEach((name, value) -> {
                if (condition.where().matches("(?s).*:" + name + "\\b.*")) {
                    query.setParameter(name, value);
                }
            });
            if (from != null) {
                query.setParameter("at", from.at()).setParameter("id", from.id());
            }
            query.setMaxResults(size + 1).getResultList().forEach(e -> merged.put(e.id, e));
        }
        return merged.values().stream().sorted(older ? newestFirst : newestFirst.reversed()).limit(size + 1L)
                .toList();
    }

    private static Keyset.Position position(AuditEvent event) {
        return Keyset.Position.of(event.occurredAt, event.id);
    }

    @Transactional
    void persist(AuditEvent event) {
        mark(event);
        event.persist();
    }

    /**
     * Adds the impersonated owner when this request acts in the account it impersonates (R10), and
     * the operator when an operator makes the request (R21).
     */
    private static void mark(AuditEvent event) {
        if (!Arc.container().requestContext().isActive()) {
            return;
        }
        AuditContext context = Arc.container().instance(AuditContext.class).get();
        if (context.byOperator()) {
            event.byOperator = true;
        }
        AuditContext.ActingAs acting = context.actingAs();
        if (acting != null) {
            if (event.userId == null || event.userId.equals(acting.userId())) {
                event.userId = acting.operatorId();
                event.userEmail = acting.operatorEmail();
            }
            if (event.onBehalfOfId == null) {
                event.onBehalfOfId = acting.userId();
                event.onBehalfOfEmail = acting.userEmail();
            }
            return;
        }
        if (event.onBehalfOfId == null) {
            AuditContext.OnBehalfOf owner = context.onBehalfOf(event.accountId);
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

        /** An operator's action (R21), for the platform-wide audit view. */
        public Entry byOperator() {
            event.byOperator = true;
            return this;
        }

        public void record() {
            AuditLog.this.persist(event);
        }
    }
}
