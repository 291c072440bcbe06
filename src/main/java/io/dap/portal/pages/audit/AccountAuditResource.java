package io.dap.portal.pages.audit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Action;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.web.Keyset;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.audit.AuditTemplateExtensions;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Times;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Account › Audit log (R13): every event in the account, filterable, paginated, and as CSV. */
@Path("/accounts/{accountId}")
public class AccountAuditResource {

    private static final int CSV_LIMIT = 10_000;

    public record Filter(String user, String action, String from, String to, String query, boolean ignoredDate) {

        /** Nothing filters the log: an empty result then means nothing was recorded yet. */
        public boolean none() {
            return query.isEmpty();
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance audit(AccountAccess access, Keyset<AuditEvent> events, Filter filter,
                List<AuditAction> actions, String pagerBase, String csvPath);
    }

    @Inject
    AccessPolicy policy;

    @Inject
    PortalConfig config;

    @Inject
    AuditLog log;

    @GET
    @Path("audit")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance page(@PathParam("accountId") String accountId, @RestQuery String user,
            @RestQuery String action, @RestQuery String from, @RestQuery String to,
            @RestQuery String newer, @RestQuery String older) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.VIEW_AUDIT_LOG);
        Filter filter = filter(user, action, from, to);
        Map<String, Object> parameters = new HashMap<>();
        Keyset<AuditEvent> events = log.keyset(conditions(access.accountId(), filter, parameters), parameters, newer,
                older, config.pageSize());
        return Templates.audit(access, events, filter, List.of(AuditAction.values()),
                access.path() + "/audit?" + filter.query(), access.path() + "/audit.csv?" + filter.query());
    }

    @GET
    @Path("audit.csv")
    @Produces("text/csv")
    @Transactional
    public Response csv(@PathParam("accountId") String accountId, @RestQuery String user, @RestQuery String action,
            @RestQuery String from, @RestQuery String to) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.VIEW_AUDIT_LOG);
        Map<String, Object> parameters = new HashMap<>();
        List<AuditLog.Condition> conditions = conditions(access.accountId(), filter(user, action, from, to), parameters);
        return csv(log.keyset(conditions, parameters, null, null, CSV_LIMIT).items(), "audit-account-" + access.accountId(),
                false);
    }

    /**
     * The CSV download of a filtered log, newest first; the operator console's logs answer with it
     * too, with a last column saying which rows an operator wrote (R21).
     */
    public static Response csv(PanacheQuery<AuditEvent> events, String fileName, boolean byOperatorColumn) {
        return csv(events.page(0, CSV_LIMIT).list(), fileName, byOperatorColumn);
    }

    private static Response csv(List<AuditEvent> events, String fileName, boolean byOperatorColumn) {
        StringBuilder csv = new StringBuilder("time_utc,user,impersonating,action,target,outcome,repeats,client_address,via"
                + (byOperatorColumn ? ",by_operator" : "") + "\r\n");
        for (AuditEvent event : events) {
            csv.append(String.join(",", cell(event.occurredAt.toString()), cell(event.userEmail),
                    cell(event.onBehalfOfEmail), cell(AuditAction.labelOf(event.action)), cell(event.target),
                    cell(event.outcome.name()), String.valueOf(event.repeatCount), cell(event.clientAddress),
                    cell(AuditTemplateExtensions.via(event))))
                    .append(byOperatorColumn ? (event.byOperator ? ",yes" : ",no") : "").append("\r\n");
        }
        return Response.ok(csv.toString(), "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + fileName + ".csv\"").build();
    }

    /** The filter of the query string, cleaned: unknown actions and unreadable dates are left out. */
    public static Filter filter(String user, String action, String from, String to) {
        String cleanUser = user == null ? "" : user.strip().toLowerCase(Locale.ROOT);
        String cleanAction = action != null && List.of(AuditAction.values()).stream()
                .anyMatch(a -> a.name().equals(action)) ? action : "";
        String cleanFrom = date(from) == null ? "" : from.strip();
        String cleanTo = date(to) == null ? "" : to.strip();
        StringBuilder query = new StringBuilder();
        append(query, "user", cleanUser);
        append(query, "action", cleanAction);
        append(query, "from", cleanFrom);
        append(query, "to", cleanTo);
        boolean ignoredDate = from != null && !from.isBlank() && cleanFrom.isEmpty()
                || to != null && !to.isBlank() && cleanTo.isEmpty();
        return new Filter(cleanUser, cleanAction, cleanFrom, cleanTo, query.toString(), ignoredDate);
    }

    /**
     * The filter as conditions on {@code AuditEvent e}, each answered by an index in the page's
     * order (account, then action or address, then time). A person is found by their address,
     * whether they acted themselves or someone acted as them: two conditions, read side by side.
     */
    private static List<AuditLog.Condition> conditions(Long accountId, Filter filter, Map<String, Object> parameters) {
        List<String> where = new ArrayList<>(List.of("e.accountId = :account"));
        parameters.put("account", accountId);
        String prefix = "e.accountId";
        if (!filter.action().isEmpty()) {
            where.add("e.action = :action");
            parameters.put("action", filter.action());
            prefix = "e.accountId, e.action";
        }
        if (!filter.from().isEmpty()) {
            where.add("e.occurredAt >= :from");
            parameters.put("from", date(filter.from()));
        }
        if (!filter.to().isEmpty()) {
            where.add("e.occurredAt < :to");
            parameters.put("to", date(filter.to()).plusSeconds(86_400));
        }
        String common = String.join(" and ", where);
        if (filter.user().isEmpty()) {
            return List.of(new AuditLog.Condition(common, prefix));
        }
        parameters.put("user", filter.user());
        return List.of(new AuditLog.Condition(common + " and e.userEmail = :user", "e.accountId, e.userEmail"),
                new AuditLog.Condition(common + " and e.onBehalfOfEmail = :user", "e.accountId, e.onBehalfOfEmail"));
    }

    /**
     * The log of one account, filtered, newest first, for the operator console (R21), which pages
     * it by number; the account's own page reads it by position through {@link AuditLog#keyset}.
     */
    public static PanacheQuery<AuditEvent> query(Long accountId, Filter filter) {
        return query("accountId = :account", Map.of("account", accountId), filter);
    }

    /** A filtered log within a scope ({@code scope} names its own parameters), newest first. */
    public static PanacheQuery<AuditEvent> query(String scope, Map<String, Object> scopeParameters, Filter filter) {
        List<String> where = new ArrayList<>(List.of(scope));
        Map<String, Object> parameters = new HashMap<>(scopeParameters);
        if (!filter.user().isEmpty()) {
            where.add("(lower(userEmail) like :user escape '\\' or lower(onBehalfOfEmail) like :user escape '\\')");
            parameters.put("user", Page.containsPattern(filter.user()));
        }
        if (!filter.action().isEmpty()) {
            where.add("action = :action");
            parameters.put("action", filter.action());
        }
        if (!filter.from().isEmpty()) {
            where.add("occurredAt >= :from");
            parameters.put("from", date(filter.from()));
        }
        if (!filter.to().isEmpty()) {
            where.add("occurredAt < :to");
            parameters.put("to", date(filter.to()).plusSeconds(86_400));
        }
        return AuditEvent.find(String.join(" and ", where) + " order by occurredAt desc, id desc", parameters);
    }

    private static Instant date(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return Times.parseDay(raw).map(day -> day.atStartOfDay(ZoneOffset.UTC).toInstant()).orElse(null);
    }

    private static void append(StringBuilder query, String name, String value) {
        if (!value.isEmpty()) {
            query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&');
        }
    }

    /** RFC 4180 quoting, and no cell a spreadsheet would run as a formula. */
    public static String cell(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
