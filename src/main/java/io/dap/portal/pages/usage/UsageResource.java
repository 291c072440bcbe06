package io.dap.portal.pages.usage;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Action;
import io.dap.portal.usage.UsageChart;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.usage.UsageService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Account › Usage: the utilization report and its CSV download. The class path stops at the
 * account because the CSV lives next to the page ({@code usage.csv}), not under it.
 */
@Path("/accounts/{accountId}")
public class UsageResource {

    public static final List<String> HEADER = List.of("Month", "Infrastructure ID", "Infrastructure", "Drives",
            "Deployed by", "GB-hours", "Cost", "Currency");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance usage(AccountAccess access, UsageService.Period period,
                UsageService.ReportPage page, UsageChart chart, String csvPath, String pagerBase);
    }

    @Inject
    AccessPolicy policy;

    @Inject
    UsageService usage;

    @Inject
    PortalConfig config;

    @GET
    @Path("usage")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@RestPath String accountId, @RestQuery String from, @RestQuery String to,
            @RestQuery @DefaultValue("1") String page) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.VIEW_USAGE);
        UsageService.Period period = usage.period(from, to);
        UsageService.ReportPage report = usage.page(access.accountId(), period.from(), period.to(),
                Page.parseNumber(page), config.pageSize());
        String query = "from=" + period.from() + "&to=" + period.to();
        return Templates.usage(access, period, report, UsageChart.of(report.report()), access.path() + "/usage.csv?" + query,
                access.path() + "/usage?" + query + "&");
    }

    @GET
    @Path("usage.csv")
    @Produces("text/csv")
    public Response csv(@RestPath String accountId, @RestQuery String from, @RestQuery String to) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.VIEW_USAGE);
        UsageService.Period period = usage.period(from, to);
        UsageService.Report report = usage.report(access.accountId(), period.from(), period.to());
        String filename = "usage-" + access.accountId() + "-" + period.from() + "-to-" + period.to() + ".csv";
        return Response.ok(csv(report))
                .type("text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .header("Cache-Control", "no-store")
                .build();
    }

    /** The page's rows and totals, one record per line (RFC 4180: CRLF, quoted where needed). */
    static String csv(UsageService.Report report) {
        StringBuilder out = new StringBuilder();
        line(out, HEADER);
        String currency = report.currency();
        for (UsageService.Month month : report.months()) {
            for (UsageService.Row row : month.rows()) {
                line(out, List.of(month.month().toString(), row.infrastructureId().toString(), row.label(),
                        row.drivesText(), row.deployedByText(), row.gbHours().toPlainString(),
                        row.cost().toPlainString(), currency));
            }
            line(out, List.of(month.month().toString(), "", "Total " + month.month(), "", "",
                    month.gbHours().toPlainString(), month.cost().toPlainString(), currency));
        }
        line(out, List.of(report.from() + " to " + report.to(), "", "Total", "", "",
                report.gbHours().toPlainString(), report.cost().toPlainString(), currency));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    /**
     * One field. Labels are typed by users, so a leading = + - @ (or tab / CR) is prefixed with an
     * apostrophe: spreadsheets would otherwise run it as a formula (CSV injection).
     */
    static String cell(String value) {
        String text = value == null ? "" : value;
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
