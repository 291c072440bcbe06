package io.dap.portal.operator;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import io.dap.portal.access.Actor;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.pages.audit.AccountAuditResource;
import io.dap.portal.web.InList;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The operator console's front page (search users and accounts) and the platform-wide audit log (R21). */
@Path("/operator")
public class OperatorConsoleResource {

    /** The platform log's views, each a slice of every account's log. */
    public enum Kind {
        ALL("Everything"),
        OPERATOR("Operator actions"),
        IMPERSONATION("Impersonations"),
        REFUSAL("Refusals");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Kind of(String raw) {
            for (Kind kind : values()) {
                if (kind.name().equals(raw)) {
                    return kind;
                }
            }
            return ALL;
        }
    }

    private static final List<String> IMPERSONATION_ACTIONS = List.of(AuditAction.IMPERSONATION_STARTED.name(),
            AuditAction.IMPERSONATION_ENDED.name(), AuditAction.IMPERSONATION_FAILED.name(),
            AuditAction.ACTING_AS_USER_STARTED.name(), AuditAction.ACTING_AS_USER_CHANGES_ALLOWED.name(),
            AuditAction.ACTING_AS_USER_ENDED.name());
    private static final InList IMPERSONATIONS = InList.of("impersonation", IMPERSONATION_ACTIONS);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance search(Actor operator, String query, Page<ConsoleQueries.Hit> hits,
                String pagerBase);

        static native TemplateInstance audit(Actor operator, Page<AuditEvent> events, Kind kind, List<Kind> kinds,
                AccountAuditResource.Filter filter, List<AuditAction> actions, String pagerBase, String csvPath);
    }

    @Inject
    OperatorPolicy policy;

    @Inject
    ConsoleQueries queries;

    @Inject
    PortalConfig config;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance search(@RestQuery String q, @RestQuery @DefaultValue("1") String page) {
        Actor operator = policy.requireOperator();
        String query = q == null ? "" : q.strip();
        if (query.length() > 254) {
            query = query.substring(0, 254);
        }
        return Templates.search(operator, query, queries.search(query, Page.parseNumber(page), config.pageSize()),
                "/operator?" + (query.isEmpty() ? "" : "q=" + java.net.URLEncoder.encode(query,
                        java.nio.charset.StandardCharsets.UTF_8) + "&"));
    }

    /** Every account's log together: what operators did, every impersonation, every refusal. */
    @GET
    @Path("audit")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance audit(@RestQuery String kind, @RestQuery String user, @RestQuery String action,
            @RestQuery String from, @RestQuery String to, @RestQuery @DefaultValue("1") String page) {
        Actor operator = policy.requireOperator();
        Kind chosen = Kind.of(kind);
        AccountAuditResource.Filter filter = AccountAuditResource.filter(user, action, from, to);
        String query = (chosen == Kind.ALL ? "" : "kind=" + chosen.name() + "&") + filter.query();
        return Templates.audit(operator, Page.of(events(chosen, filter), Page.parseNumber(page), config.pageSize()),
                chosen, List.of(Kind.values()), filter, List.of(AuditAction.values()), "/operator/audit?" + query,
                "/operator/audit.csv?" + query);
    }

    @GET
    @Path("audit.csv")
    @Produces("text/csv")
    @Transactional
    public Response auditCsv(@RestQuery String kind, @RestQuery String user, @RestQuery String action,
            @RestQuery String from, @RestQuery String to) {
        policy.requireOperator();
        Kind chosen = Kind.of(kind);
        return AccountAuditResource.csv(events(chosen, AccountAuditResource.filter(user, action, from, to)),
                "audit-platform" + (chosen == Kind.ALL ? "" : "-" + chosen.name().toLowerCase(java.util.Locale.ROOT)), true);
    }

    private static PanacheQuery<AuditEvent> events(Kind kind, AccountAuditResource.Filter filter) {
        return switch (kind) {
            case ALL -> AccountAuditResource.query("1 = 1", Map.of(), filter);
            case OPERATOR -> AccountAuditResource.query("byOperator = true", Map.of(), filter);
            case IMPERSONATION -> AccountAuditResource.query("action in " + IMPERSONATIONS.sql(),
                    IMPERSONATIONS.parameters(), filter);
            case REFUSAL -> AccountAuditResource.query("outcome = :refused",
                    Map.of("refused", AuditEvent.Outcome.REFUSED), filter);
        };
    }
}
