package io.dap.portal.usage;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.pages.usage.UsageResource;
import io.dap.portal.support.Browser;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class UsageReportTest {

    static final Instant NOW = Instant.parse("2026-03-15T00:00:00Z");

    @Inject
    Users users;

    @Inject
    UsageService usage;

    @Inject
    EntityManager entityManager;

    MutableClock clock;

    @BeforeEach
    void fixClock() {
        clock = new MutableClock(NOW);
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
    }

    /** The story of the tests: three infrastructures, one of them deleted, across three months. */
    record Story(User owner, User ops, Long accountId, Long web, Long hadoop, Long erp) {
    }

    Story story() {
        User owner = users.active(Users.uniqueEmail("usage-owner"), "Finance");
        User ops = users.active(Users.uniqueEmail("usage-ops"), "Ops Person");
        Long accountId = UsageFixtures.accountOf(owner);
        Instant created = Instant.parse("2025-12-01T00:00:00Z");
        Long web = UsageFixtures.infrastructure(accountId, ops, "Web", created);
        Long hadoop = UsageFixtures.infrastructure(accountId, ops, "Hadoop", created);
        Long erp = UsageFixtures.infrastructure(accountId, ops, "ERP", created);
        // Across the month boundary: 12 hours in January and 12 in February.
        UsageFixtures.drive(web, owner, "www", 100, Instant.parse("2026-01-31T12:00:00Z"),
                Instant.parse("2026-02-01T12:00:00Z"));
        // 20 minutes = 0.333 h (three decimals) × 3 GB.
        UsageFixtures.drive(web, ops, "tmp", 3, Instant.parse("2026-02-10T00:00:00Z"),
                Instant.parse("2026-02-10T00:20:00Z"));
        // Deleted mid-month with its infrastructure: 10 days 6.5 hours × 10 GB.
        UsageFixtures.drive(hadoop, ops, "hdfs", 10, Instant.parse("2026-02-10T00:00:00Z"),
                Instant.parse("2026-02-20T06:30:00Z"));
        UsageFixtures.deleteInfrastructure(hadoop, Instant.parse("2026-02-20T06:30:00Z"));
        // Still running: counts up to now.
        UsageFixtures.drive(erp, ops, "db", 1, Instant.parse("2026-03-01T00:00:00Z"), null);
        // Never deployed, and long gone before the period: neither counts.
        UsageFixtures.pendingDrive(erp, "later", 500, Instant.parse("2026-03-02T00:00:00Z"));
        UsageFixtures.drive(erp, ops, "old", 500, Instant.parse("2025-10-01T00:00:00Z"),
                Instant.parse("2025-10-02T00:00:00Z"));
        return new Story(owner, ops, accountId, web, hadoop, erp);
    }

    @Test
    void gbHoursAndCostsPerInfrastructureAndMonthAcrossAMonthBoundary() {
        Story s = story();
        // Another account's drive in the same months is not in this report.
        User stranger = users.active("usage-stranger");
        Long foreign = UsageFixtures.infrastructure(UsageFixtures.accountOf(stranger), stranger, "Web",
                Instant.parse("2026-01-01T00:00:00Z"));
        UsageFixtures.drive(foreign, stranger, "www", 1000, Instant.parse("2026-01-01T00:00:00Z"), null);

        UsageService.Report report = usage.report(s.accountId(), YearMonth.of(2026, 1), YearMonth.of(2026, 3));

        assertEquals(3, report.months().size());
        UsageService.Month january = report.months().get(0);
        assertEquals(1, january.rows().size());
        assertRow(january.rows().get(0), s.web(), "Web", "1200.000", "0.17");
        assertEquals(List.of("Finance"), january.rows().get(0).deployedBy());
        assertEquals(new BigDecimal("1200.000"), january.gbHours());

        UsageService.Month february = report.months().get(1);
        assertEquals(2, february.rows().size());
        UsageService.Row hadoop = february.rows().get(0);
        assertRow(hadoop, s.hadoop(), "Hadoop (deleted)", "2465.000", "0.35");
        assertEquals(List.of("hdfs (10 GB) (deleted)"), hadoop.drives());
        assertEquals(List.of("Ops Person"), hadoop.deployedBy());
        UsageService.Row web = february.rows().get(1);
        assertRow(web, s.web(), "Web", "1200.999", "0.17");
        assertEquals(List.of("Finance", "Ops Person"), web.deployedBy());
        assertEquals(new BigDecimal("3665.999"), february.gbHours());
        assertEquals(new BigDecimal("0.52"), february.cost());

        UsageService.Month march = report.months().get(2);
        assertEquals(1, march.rows().size());
        assertRow(march.rows().get(0), s.erp(), "ERP", "336.000", "0.05");
        assertEquals(List.of("db (1 GB)"), march.rows().get(0).drives());

        assertEquals(new BigDecimal("5201.999"), report.gbHours());
        assertEquals(new BigDecimal("0.74"), report.cost());
        assertEquals("EUR", report.currency());

        // A running drive keeps accruing: one more day is 24 more GB-hours in March.
        clock.advance(Duration.ofDays(1));
        UsageService.Report later = usage.report(s.accountId(), YearMonth.of(2026, 3), YearMonth.of(2026, 3));
        assertEquals(new BigDecimal("360.000"), later.gbHours());
    }

    @Test
    void thePageShowsTheLastThreeMonthsByDefaultAndTheSameFiguresAsTheCsv() {
        Story s = story();
        Browser owner = new Browser().signIn(s.owner().email, Users.PASSWORD);
        String base = "/accounts/" + s.accountId();

        String page = owner.get(base + "/usage").then().statusCode(200).extract().asString();
        assertTrue(page.contains("January 2026") && page.contains("March 2026"), "Jan to Mar by default");
        assertTrue(page.contains("Hadoop (deleted)"));
        assertTrue(page.contains("hdfs (10 GB) (deleted)"));
        assertTrue(page.contains("href=\"" + base + "/usage.csv?from=2026-01&amp;to=2026-03\""), "CSV link");

        Response csv = owner.get(base + "/usage.csv?from=2026-01&to=2026-03");
        csv.then().statusCode(200).contentType(startsWith("text/csv"))
                .header("Content-Disposition", startsWith("attachment; filename=\"usage-" + s.accountId()));
        List<List<String>> records = parseCsv(csv.asString());
        assertTrue(csv.asString().contains("\r\n"), "RFC 4180 line breaks");
        assertEquals(UsageResource.HEADER, records.get(0));

        List<List<String>> pageRows = pageRows(page);
        List<List<String>> csvRows = records.stream().skip(1).filter(r -> !r.get(2).isEmpty())
                .map(r -> List.of(r.get(0), r.get(2), r.get(3), r.get(5), r.get(6), r.get(7))).toList();
        assertEquals(4, pageRows.size());
        assertEquals(pageRows, csvRows);
        assertEquals(List.of("2026-02", s.hadoop().toString(), "Hadoop (deleted)", "Ops Person", "2465.000", "0.35"),
                csvRows.get(1));

        List<List<String>> pageTotals = pageMonthTotals(page);
        List<List<String>> csvTotals = records.stream().skip(1).filter(r -> r.get(3).startsWith("Total 20"))
                .map(r -> List.of(r.get(0), r.get(6), r.get(7))).toList();
        assertEquals(pageTotals, csvTotals);
        List<String> overall = records.get(records.size() - 1);
        assertEquals(List.of("2026-01 to 2026-03", "", "", "Total", "", "", "5201.999", "0.74", "EUR"), overall);
        assertTrue(page.contains("<dd id=\"total-gb-hours\">5201.999</dd>"));
        assertTrue(page.contains("<dd id=\"total-cost\">0.74 EUR</dd>"));
    }

    @Test
    void theChartDrawsEveryRowOfTheTablesAtItsCostWithATitleADescriptionAndNoScript() {
        Story s = story();
        Browser owner = new Browser().signIn(s.owner().email, Users.PASSWORD);
        String base = "/accounts/" + s.accountId();
        String page = owner.get(base + "/usage").then().statusCode(200).extract().asString();

        String svg = page.substring(page.indexOf("<svg"), page.indexOf("</svg>"));
        assertTrue(svg.contains("role=\"img\" aria-labelledby=\"chart-title chart-desc\""), svg);
        assertTrue(svg.contains("<title id=\"chart-title\">Cost per infrastructure per month, 2026-01 to 2026-03 (EUR)</title>"), svg);
        assertFalse(svg.contains("<script") || Pattern.compile("\\son[a-z]+=").matcher(svg).find() || svg.contains("style="), "no script, no inline style");

        List<List<String>> bars = new ArrayList<>();
        Matcher m = CHART_BAR.matcher(svg);
        while (m.find()) {
            bars.add(List.of(m.group(1), m.group(2), m.group(3), m.group(4)));
        }
        List<List<String>> tableRows = pageRows(page).stream().map(r -> List.of(r.get(0), r.get(1), r.get(5))).toList();
        assertEquals(4, tableRows.size());
        assertEquals(tableRows, bars.stream().map(b -> b.subList(0, 3)).toList(), "one bar per row of the tables, same cost");

        BigDecimal max = bars.stream().map(b -> new BigDecimal(b.get(2))).reduce(BigDecimal.ZERO, BigDecimal::max);
        for (List<String> bar : bars) {
            double expected = new BigDecimal(bar.get(2)).doubleValue() / max.doubleValue() * UsageChart.BAR_SPACE;
            assertEquals(expected, Integer.parseInt(bar.get(3)), 1.0, "bar length proportional to its cost: " + bar);
        }
        assertTrue(svg.contains("<desc id=\"chart-desc\">Cost in EUR of each infrastructure, month by month, 4 bars; the longest is "
                + max.toPlainString() + " EUR."), svg);

        String empty = owner.get(base + "/usage?from=2001-01&to=2001-02").then().statusCode(200).extract().asString();
        assertFalse(empty.contains("<svg"), "no chart without usage; the empty state says so");
        assertTrue(empty.contains("No usage in this period"));
    }

    @Test
    void aBarIsAsLongAsItsShareOfTheLargestCostAndAnyCostAboveZeroShows() {
        BigDecimal max = new BigDecimal("0.40");
        assertEquals(UsageChart.BAR_SPACE, UsageChart.length(max, max));
        assertEquals(UsageChart.BAR_SPACE / 2, UsageChart.length(new BigDecimal("0.20"), max));
        assertEquals(1, UsageChart.length(new BigDecimal("0.0001"), max));
        assertEquals(0, UsageChart.length(BigDecimal.ZERO, max));
        assertEquals(0, UsageChart.length(BigDecimal.ZERO, BigDecimal.ZERO));
    }

    @Test
    void theMonthFilterNarrowsTheReportAndBadInputFallsBackWithAMessage() {
        Story s = story();
        Browser owner = new Browser().signIn(s.owner().email, Users.PASSWORD);
        String base = "/accounts/" + s.accountId() + "/usage";

        String february = owner.get(base + "?from=2026-02&to=2026-02").then().statusCode(200).extract().asString();
        assertTrue(february.contains("February 2026"));
        assertFalse(february.contains("January 2026"));
        assertTrue(february.contains("<dd id=\"total-gb-hours\">3665.999</dd>"));

        for (String query : List.of("?from=garbage&to=2026-02", "?from=2026-03&to=2026-01", "?from=2026-01&to=2027-01",
                "?from=2020-01&to=2026-03", "?from=2026-13&to=2026-14", "?from=%3Cscript%3E")) {
            String page = owner.get(base + query).then().statusCode(200).extract().asString();
            assertTrue(page.contains("Showing the last 3 months instead."), query);
            assertTrue(page.contains("January 2026") && page.contains("March 2026"), query);
            assertFalse(page.contains("<script>"), query);
        }
        owner.get("/accounts/" + s.accountId() + "/usage.csv?from=nonsense").then().statusCode(200)
                .body(containsString("2026-01 to 2026-03,,,Total"));

        String quiet = owner.get(base + "?from=2026-01&to=2026-03").asString();
        assertFalse(quiet.contains("instead."));
    }

    @Test
    void csvCellsAreQuotedAndCannotRunAsFormulas() {
        User owner = users.active("csv-owner");
        Long accountId = UsageFixtures.accountOf(owner);
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        Long formula = UsageFixtures.infrastructure(accountId, owner, "=HYPERLINK(\"http://evil\",\"x\")", start);
        Long plus = UsageFixtures.infrastructure(accountId, owner, "+1, \"quoted\"", start);
        UsageFixtures.drive(formula, owner, "@SUM(A1)", 1, start, null);
        UsageFixtures.drive(plus, owner, "-2+3", 1, start, null);
        UsageFixtures.department(plus, "=cmd|' /C calc'!A0");

        String csv = new Browser().signIn(owner.email, Users.PASSWORD)
                .get("/accounts/" + accountId + "/usage.csv").then().statusCode(200).extract().asString();

        List<List<String>> records = parseCsv(csv);
        for (List<String> record : records) {
            for (String cell : record) {
                assertFalse(!cell.isEmpty() && "=+-@".indexOf(cell.charAt(0)) >= 0, "neutralised: " + cell);
            }
        }
        assertTrue(csv.contains("\"'+1, \"\"quoted\"\"\""), csv);
        assertTrue(records.stream().anyMatch(r -> r.get(3).equals("'=HYPERLINK(\"http://evil\",\"x\")")));
        assertTrue(records.stream().anyMatch(r -> r.get(4).equals("'@SUM(A1) (1 GB)")));
        assertTrue(records.stream().anyMatch(r -> r.get(4).equals("'-2+3 (1 GB)")));
        assertTrue(records.stream().anyMatch(r -> r.get(1).equals("'=cmd|' /C calc'!A0")), "departments too");
    }

    @Test
    void theReportIsOneQueryWhateverTheNumberOfInfrastructuresAndDrives() {
        User small = users.active("usage-small");
        User large = users.active("usage-large");
        Long smallAccount = UsageFixtures.accountOf(small);
        Long largeAccount = UsageFixtures.accountOf(large);
        Instant start = Instant.parse("2026-01-15T00:00:00Z");
        UsageFixtures.drive(UsageFixtures.infrastructure(smallAccount, small, "one", start), small, "d", 1, start,
                null);
        for (int i = 0; i < 8; i++) {
            Long infrastructure = UsageFixtures.infrastructure(largeAccount, large, "node-" + i, start);
            UsageFixtures.department(infrastructure, i % 4 == 3 ? null : "dept-" + i % 4);
            for (int j = 0; j < 3; j++) {
                UsageFixtures.drive(infrastructure, j == 0 ? large : small, "d" + j, 10, start, null);
            }
        }
        assertEquals(1, statementsFor(smallAccount, false));
        assertEquals(1, statementsFor(largeAccount, false));
        // With the totals per department: one grouped statement more, whatever the departments.
        assertEquals(2, statementsFor(smallAccount, true));
        assertEquals(2, statementsFor(largeAccount, true));
        assertEquals(4, usage.grouped(largeAccount, YearMonth.of(2026, 1), YearMonth.of(2026, 3)).departments()
                .departments().size());
        assertEquals(8, usage.report(largeAccount, YearMonth.of(2026, 1), YearMonth.of(2026, 3)).months().get(1)
                .rows().size());
    }

    private long statementsFor(Long accountId, boolean grouped) {
        Statistics statistics = entityManager.getEntityManagerFactory().unwrap(SessionFactory.class).getStatistics();
        // Switched on here rather than relied upon from the configuration, and put back as found.
        boolean enabled = statistics.isStatisticsEnabled();
        statistics.setStatisticsEnabled(true);
        try {
            statistics.clear();
            if (grouped) {
                usage.grouped(accountId, YearMonth.of(2026, 1), YearMonth.of(2026, 3));
            } else {
                usage.report(accountId, YearMonth.of(2026, 1), YearMonth.of(2026, 3));
            }
            return statistics.getPrepareStatementCount();
        } finally {
            statistics.setStatisticsEnabled(enabled);
        }
    }

    private static void assertRow(UsageService.Row row, Long infrastructureId, String label, String gbHours,
            String cost) {
        assertEquals(infrastructureId, row.infrastructureId());
        assertEquals(label, row.label());
        assertEquals(new BigDecimal(gbHours), row.gbHours());
        assertEquals(new BigDecimal(cost), row.cost());
    }

    private static final Pattern PAGE_ROW = Pattern.compile("<tr data-month=\"([^\"]+)\" data-infrastructure=\"(\\d+)\">"
            + "\\s*<th scope=\"row\">([^<]*)</th>\\s*<td>(?:[^<]*|<span class=\"muted\">none</span>)</td>"
            + "\\s*<td>[^<]*</td>\\s*<td>([^<]*)</td>"
            + "\\s*<td class=\"num\">([^<]*)</td>\\s*<td class=\"num\">([^<]*)</td>");
    private static final Pattern CHART_BAR = Pattern.compile("<g data-month=\"([^\"]+)\" data-infrastructure=\"(\\d+)\""
            + " data-cost=\"([^\"]+)\" data-length=\"(\\d+)\">");
    private static final Pattern PAGE_TOTAL = Pattern.compile("<tr data-month=\"([^\"]+)\" data-total=\"month\">"
            + "<th[^>]*>[^<]*</th><td class=\"num\">([^<]*)</td><td class=\"num\">([^<]*)</td>");

    /** Month, infrastructure id, label, deployed by, GB-hours, cost of each row of the page's tables. */
    static List<List<String>> pageRows(String html) {
        List<List<String>> rows = new ArrayList<>();
        Matcher m = PAGE_ROW.matcher(html);
        while (m.find()) {
            rows.add(List.of(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)));
        }
        return rows;
    }

    static List<List<String>> pageMonthTotals(String html) {
        List<List<String>> rows = new ArrayList<>();
        Matcher m = PAGE_TOTAL.matcher(html);
        while (m.find()) {
            rows.add(List.of(m.group(1), m.group(2), m.group(3)));
        }
        return rows;
    }

    /** A strict RFC 4180 reader: CRLF records, fields optionally quoted with doubled quotes inside. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertTrue(record.isEmpty() && field.length() == 0, "the last record ends with CRLF");
        return records;
    }
}
