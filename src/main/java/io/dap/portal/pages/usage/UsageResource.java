package io.dap.portal.pages.usage;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    public static final List<String> HEADER = List.of("Month", "Department", "Infrastructure ID", "Infrastructure",
            "Drives", "Deployed by", "GB-hours", "Cost", "Currency");

    /** What the total rows of the CSV say in the Infrastructure column (their Infrastructure ID is empty). */
    public static final String DEPARTMENT_TOTAL = "Department total";

    /** The chart per department, rather than per infrastructure. */
    static final String BY_DEPARTMENT = "department";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance usage(AccountAccess access, UsageService.Period period,
                UsageService.ReportPage page, UsageChart chart, boolean departmentView, String csvPath,
                String pagerBase, String infrastructureChartPath, String departmentChartPath);
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
            @RestQuery @DefaultValue("1") String page, @RestQuery String chart) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.VIEW_USAGE);
        UsageService.Period period = usage.period(from, to);
        // The view per department adds the totals over every infrastructure; the default view costs
        // the same whatever the number of infrastructures.
        boolean departmentView = BY_DEPARTMENT.equals(chart);
        UsageService.ReportPage report = usage.page(access.accountId(), period.from(), period.to(),
                Page.parseNumber(page), config.pageSize(), departmentView);
        String query = "from=" + period.from() + "&to=" + period.to();
        // Departments nobody named draw the chart per infrastructure.
        boolean byDepartment = departmentView && report.departments().named();
        UsageChart drawn = byDepartment ? UsageChart.of(report.departments(), report.report().currency())
                : UsageChart.of(report.report());
        String pagePath = access.path() + "/usage?" + query;
        return Templates.usage(access, period, report, drawn, departmentView, access.path() + "/usage.csv?" + query,
                pagePath + (departmentView ? "&chart=" + BY_DEPARTMENT : "") + "&", pagePath,
                pagePath + "&chart=" + BY_DEPARTMENT);
    }

    @GET
    @Path("usage.csv")
    @Produces("text/csv")
    public Response csv(@RestPath String accountId, @RestQuery String from, @RestQuery String to) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.require(access, Action.VIEW_USAGE);
        UsageService.Period period = usage.period(from, to);
        UsageService.GroupedReport report = usage.grouped(access.accountId(), period.from(), period.to());
        String filename = "usage-" + access.accountId() + "-" + period.from() + "-to-" + period.to() + ".csv";
        return Response.ok(csv(report))
                .type("text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .header("Cache-Control", "no-store")
                .build();
    }

    /**
     * The page's rows and totals, one record per line (RFC 4180: CRLF, quoted where needed), in one
     * table a spreadsheet can filter: a row with an Infrastructure ID is one infrastructure in one
     * month; a row without one is a total, named in the Infrastructure column. Within a month the
     * infrastructures come department by department (an empty Department is none, last), each
     * department followed by its "Department total" row, then the month's "Total YYYY-MM"; after the
     * months, each department's total over the period, then the period's "Total".
     */
    static String csv(UsageService.GroupedReport grouped) {
        UsageService.Report report = grouped.report();
        Map<String, UsageService.DepartmentMonth> subtotals = new HashMap<>();
        for (UsageService.Department department : grouped.departments().departments()) {
            for (UsageService.DepartmentMonth month : department.months()) {
                subtotals.put(department.key() + "\n" + month.month(), month);
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, HEADER);
        String currency = report.currency();
        for (UsageService.Month month : report.months()) {
            String key = month.month().toString();
            List<UsageService.Row> rows = month.rows().stream()
                    .sorted(Comparator.comparing(UsageService.Row::department, UsageService.DEPARTMENT_ORDER))
                    .toList();
            for (int i = 0; i < rows.size(); i++) {
                UsageService.Row row = rows.get(i);
                String department = row.department() == null ? "" : row.department();
                line(out, List.of(key, department, row.infrastructureId().toString(), row.label(), row.drivesText(),
                        row.deployedByText(), row.gbHours().toPlainString(), row.cost().toPlainString(), currency));
                boolean lastOfDepartment = i + 1 == rows.size()
                        || !Objects.equals(row.department(), rows.get(i + 1).department());
                UsageService.DepartmentMonth subtotal = subtotals.get(department + "\n" + key);
                if (lastOfDepartment && subtotal != null) {
                    line(out, List.of(key, department, "", DEPARTMENT_TOTAL, "", "",
                            subtotal.gbHours().toPlainString(), subtotal.cost().toPlainString(), currency));
                }
            }
            line(out, List.of(key, "", "", "Total " + month.month(), "", "",
                    month.gbHours().toPlainString(), month.cost().toPlainString(), currency));
        }
        String period = report.from() + " to " + report.to();
        for (UsageService.Department department : grouped.departments().departments()) {
            line(out, List.of(period, department.key(), "", DEPARTMENT_TOTAL, "", "",
                    department.gbHours().toPlainString(), department.cost().toPlainString(), currency));
        }
        line(out, List.of(period, "", "", "Total", "", "",
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
