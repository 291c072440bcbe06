package io.dap.portal.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.dap.portal.audit.AuditEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * A snapshot of the refusals in the audit trail, to count exactly the refusals recorded after it:
 * a repeated refusal adds to an older row's count instead of writing a row (R13), so "rows with a
 * higher id" is not enough.
 */
public final class RefusalMark {

    private final Map<Long, Integer> counts;

    private RefusalMark(Map<Long, Integer> counts) {
        this.counts = counts;
    }

    public static RefusalMark now() {
        Map<Long, Integer> counts = new HashMap<>();
        for (Object[] row : rows("", new Object[] { AuditEvent.Outcome.REFUSED })) {
            counts.put((Long) row[0], (Integer) row[1]);
        }
        return new RefusalMark(counts);
    }

    /** Refusals of one user since the mark. */
    public long since(Long userId) {
        return count(rows(" and e.userId = ?2", new Object[] { AuditEvent.Outcome.REFUSED, userId }));
    }

    /** Refusals of one user since the mark with exactly this action and target. */
    public long since(Long userId, String action, String target) {
        return count(rows(" and e.userId = ?2 and e.action = ?3 and e.target = ?4",
                new Object[] { AuditEvent.Outcome.REFUSED, userId, action, target }));
    }

    private long count(List<Object[]> rows) {
        long total = 0;
        for (Object[] row : rows) {
            total += (Integer) row[1] - counts.getOrDefault((Long) row[0], 0);
        }
        return total;
    }

    private static List<Object[]> rows(String where, Object[] parameters) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.find(
                "select e.id, e.repeatCount from AuditEvent e where e.outcome = ?1" + where, parameters)
                .project(Object[].class).list());
    }
}
