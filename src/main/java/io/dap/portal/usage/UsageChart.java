package io.dap.portal.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of the usage page's bar chart, drawn by the template as SVG on the server: one
 * horizontal bar per infrastructure and month, grouped under the month, each as long as its cost
 * relative to the most expensive one; or, per department, one bar per month grouped under the
 * department, in the order of the department table. No script; the table beside it holds the same
 * numbers.
 */
public record UsageChart(List<Line> lines, int width, int height, String description, boolean byDepartment) {

    public static final int WIDTH = 640;
    static final int LABEL_WIDTH = 220;
    static final int BAR_SPACE = 320;
    static final int ROW = 24;
    static final int HEADING = 30;
    static final int MAX_LABEL = 28;

    /** A heading (bar null: the month, or the department) or one bar: an infrastructure's or a department's month. */
    public record Line(String month, String text, Bar bar, int y) {

        public boolean heading() {
            return bar == null;
        }

        public int textY() {
            return y + (heading() ? 20 : 16);
        }

        public int barY() {
            return y + 4;
        }

        /** Labels end just left of the bars. */
        public int labelX() {
            return LABEL_WIDTH - 8;
        }

        /** Long names are cut to fit left of the bars; the table gives them whole. */
        public String shortText() {
            return text.length() <= MAX_LABEL ? text : text.substring(0, MAX_LABEL - 1) + "…";
        }
    }

    /** One bar: which row of the table it draws (infrastructure, or department: "" for none), its cost, and where it goes. */
    public record Bar(Long infrastructureId, String department, BigDecimal cost, int x, int width, int height) {

        public int valueX() {
            return x + width + 6;
        }
    }

    public static UsageChart of(UsageService.Report report) {
        BigDecimal max = BigDecimal.ZERO;
        for (UsageService.Month month : report.months()) {
            for (UsageService.Row row : month.rows()) {
                max = max.max(row.cost());
            }
        }
        List<Line> lines = new ArrayList<>();
        int y = 0;
        int bars = 0;
        for (UsageService.Month month : report.months()) {
            if (month.isEmpty()) {
                continue;
            }
            lines.add(new Line(month.month().toString(), month.label(), null, y));
            y += HEADING;
            for (UsageService.Row row : month.rows()) {
                lines.add(new Line(month.month().toString(), row.label(),
                        new Bar(row.infrastructureId(), null, row.cost(), LABEL_WIDTH, length(row.cost(), max), ROW - 8),
                        y));
                y += ROW;
                bars++;
            }
        }
        String description = bars == 0 ? "No usage in this period."
                : "Cost in " + report.currency() + " of each infrastructure, month by month, " + bars
                        + (bars == 1 ? " bar" : " bars") + "; the longest is " + max.toPlainString() + " "
                        + report.currency() + ". The tables below give the same figures.";
        return new UsageChart(List.copyOf(lines), WIDTH, Math.max(y, ROW), description, false);
    }

    /** Cost per department per month: a heading per department, a bar per month it used anything. */
    public static UsageChart of(UsageService.Departments departments, String currency) {
        BigDecimal max = BigDecimal.ZERO;
        for (UsageService.Department department : departments.departments()) {
            for (UsageService.DepartmentMonth month : department.months()) {
                max = max.max(month.cost());
            }
        }
        List<Line> lines = new ArrayList<>();
        int y = 0;
        int bars = 0;
        for (UsageService.Department department : departments.departments()) {
            lines.add(new Line("", department.label(), null, y));
            y += HEADING;
            for (UsageService.DepartmentMonth month : department.months()) {
                lines.add(new Line(month.month().toString(), month.monthLabel(), new Bar(null, department.key(),
                        month.cost(), LABEL_WIDTH, length(month.cost(), max), ROW - 8), y));
                y += ROW;
                bars++;
            }
        }
        String description = bars == 0 ? "No usage in this period."
                : "Cost in " + currency + " of each department, month by month, " + bars
                        + (bars == 1 ? " bar" : " bars") + "; the longest is " + max.toPlainString() + " " + currency
                        + ". The table per department gives the same figures.";
        return new UsageChart(List.copyOf(lines), WIDTH, Math.max(y, ROW), description, true);
    }

    /** Proportional to the cost; a cost above zero stays visible (one unit at least). */
    static int length(BigDecimal cost, BigDecimal max) {
        if (max.signum() == 0 || cost.signum() <= 0) {
            return 0;
        }
        int length = cost.multiply(BigDecimal.valueOf(BAR_SPACE)).divide(max, 0, RoundingMode.HALF_UP).intValue();
        return Math.max(length, 1);
    }
}
