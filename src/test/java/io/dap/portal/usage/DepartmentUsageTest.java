package io.dap.portal.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.api.ApiFixtures;
import io.dap.portal.pages.usage.UsageResource;
import io.dap.portal.support.Browser;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The usage report grouped by department: the database adds the totals up in one grouped query,
 * and they must equal what the per-infrastructure rows add up to, on the page, in the CSV and in
 * the chart. Expected figures come from the rows the report computes, never typed in.
 */
@QuarkusTest
class DepartmentUsageTest {

    static final Instant NOW = Instant.parse("2026-03-15T10:20:30.123456Z");
    static final String PERIOD = "from=2026-01&to=2026-03";

    @Inject
    Users users;

    @Inject
    UsageService usage;

    @Inject
    ApiFixtures fixtures;

    @BeforeEach
    void fixClock() {
        QuarkusMock.installMockForType(new TimeSource(new MutableClock(NOW)), TimeSource.class);
    }

    record Story(User owner, Long accountId) {
    }

    /**
     * Durations chosen to catch a different arithmetic: odd microseconds, a drive of exactly half a
     * thousandth of an hour (rounds up), a 20-minute drive (0.333 h), two infrastructures whose
     * costs round up on their own (the department pays the rounded lines, as an invoice does), a
     * deleted infrastructure, running drives, a month boundary, and departments that differ only in
     * case.
     */
    Story story() {
        User owner = users.active(Users.uniqueEmail("dept-usage"), "Finance");
        Long account = UsageFixtures.accountOf(owner);
        Instant created = Instant.parse("2025-12-01T00:00:00Z");
        Long web = infrastructure(account, owner, "Web", "Marketing", created);
        UsageFixtures.drive(web, owner, "www", 100, Instant.parse("2026-01-31T12:00:00Z"),
                Instant.parse("2026-02-01T12:00:00Z"));
        UsageFixtures.drive(web, owner, "tmp", 3, Instant.parse("2026-02-10T00:00:00Z"),
                Instant.parse("2026-02-10T00:20:00Z"));
        UsageFixtures.drive(web, owner, "odd", 7, Instant.parse("2026-02-03T01:07:13.500001Z"),
                Instant.parse("2026-02-05T11:11:11.123456Z"));
        // 36 GB-hours cost 0.00504: each rounds to 0.01, together 0.02 (not 0.01).
        Long shop = infrastructure(account, owner, "Shop", "Marketing", created);
        UsageFixtures.drive(shop, owner, "cart", 36, Instant.parse("2026-03-02T00:00:00Z"),
                Instant.parse("2026-03-02T01:00:00Z"));
        Long landing = infrastructure(account, owner, "Landing", "Marketing", created);
        UsageFixtures.drive(landing, owner, "page", 36, Instant.parse("2026-03-03T00:00:00Z"),
                Instant.parse("2026-03-03T01:00:00Z"));
        // 1.8 s is 0.0005 h: half up, 0.001 h.
        UsageFixtures.drive(landing, owner, "blip", 1000, Instant.parse("2026-03-04T00:00:00Z"),
                Instant.parse("2026-03-04T00:00:01.800Z"));
        Long lower = infrastructure(account, owner, "Newsletter", "marketing", created);
        UsageFixtures.drive(lower, owner, "list", 5, Instant.parse("2026-01-20T00:00:00Z"), null);
        Long hadoop = infrastructure(account, owner, "Hadoop", "BI", created);
        UsageFixtures.drive(hadoop, owner, "hdfs", 10, Instant.parse("2026-02-10T00:00:00Z"),
                Instant.parse("2026-02-20T06:30:00Z"));
        UsageFixtures.deleteInfrastructure(hadoop, Instant.parse("2026-02-20T06:30:00Z"));
        Long erp = infrastructure(account, owner, "ERP", null, created);
        UsageFixtures.drive(erp, owner, "db", 1, Instant.parse("2026-03-01T00:00:00.000007Z"), null);
        Long mail = infrastructure(account, owner, "Mail", null, created);
        UsageFixtures.drive(mail, owner, "spool", 33, Instant.parse("2026-01-15T00:00:00Z"),
                Instant.parse("2026-02-14T13:13:13.131313Z"));
        // Another account's department of the same name is not this account's.
        User stranger = users.active(Users.uniqueEmail("dept-usage-stranger"));
        Long foreign = infrastructure(UsageFixtures.accountOf(stranger), stranger, "Web", "Marketing", created);
        UsageFixtures.drive(foreign, stranger, "www", 1000, Instant.parse("2026-01-01T00:00:00Z"), null);
        return new Story(owner, account);
    }

    static Long infrastructure(Long account, User owner, String label, String department, Instant created) {
        Long id = UsageFixtures.infrastructure(account, owner, label, created);
        UsageFixtures.department(id, department);
        return id;
    }

    /** What the rows add up to per department ("" for none) and month: infrastructures, GB-hours, cost. */
    static Map<List<String>, List<BigDecimal>> sumsOfRows(UsageService.Report report) {
        Map<List<String>, List<BigDecimal>> sums = new LinkedHashMap<>();
        for (UsageService.Month month : report.months()) {
            for (UsageService.Row row : month.rows()) {
                List<String> key = List.of(Objects.requireNonNullElse(row.department(), ""), month.month().toString());
                sums.merge(key, List.of(BigDecimal.ONE, row.gbHours(), row.cost()), DepartmentUsageTest::add);
            }
        }
        return sums;
    }

    static List<BigDecimal> add(List<BigDecimal> a, List<BigDecimal> b) {
        List<BigDecimal> sum = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            sum.add(a.get(i).add(b.get(i)));
        }
        return sum;
    }

    @Test
    void theDatabaseTotalsPerDepartmentEqualTheSumsOfTheRows() {
        Story s = story();
        UsageService.GroupedReport grouped = usage.grouped(s.accountId(), YearMonth.of(2026, 1), YearMonth.of(2026, 3));
        Map<List<String>, List<BigDecimal>> expected = sumsOfRows(grouped.report());

        Map<List<String>, List<BigDecimal>> actual = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (UsageService.Department department : grouped.departments().departments()) {
            order.add(department.key());
            BigDecimal gbHours = BigDecimal.ZERO;
            BigDecimal cost = BigDecimal.ZERO;
            for (UsageService.DepartmentMonth month : department.months()) {
                actual.put(List.of(department.key(), month.month().toString()),
                        List.of(BigDecimal.valueOf(month.infrastructures()), month.gbHours(), month.cost()));
                gbHours = gbHours.add(month.gbHours());
                cost = cost.add(month.cost());
            }
            assertEquals(gbHours, department.gbHours());
            assertEquals(cost, department.cost());
        }
        assertEquals(new TreeMap<>(keyed(expected)), new TreeMap<>(keyed(actual)));
        assertEquals(grouped.report().gbHours(), grouped.departments().gbHours());
        assertEquals(grouped.report().cost(), grouped.departments().cost());
        assertEquals(List.of("BI", "Marketing", "marketing", ""), order, "by name, case aside; none last");
        // The rounding the story was built for: two lines of 0.01, and a 1.8-second drive of 1.000 GB-hours.
        assertEquals(List.of(new BigDecimal("2"), new BigDecimal("73.000"), new BigDecimal("0.02")),
                actual.get(List.of("Marketing", "2026-03")));
    }

    @Test
    void thePageShowsEachDepartmentPerMonthWithItsTotalsAndTheRowsTheirDepartment() {
        Story s = story();
        Browser owner = new Browser().signIn(s.owner().email, Users.PASSWORD);
        String base = "/accounts/" + s.accountId();
        Map<List<String>, List<BigDecimal>> expected = sumsOfRows(
                usage.report(s.accountId(), YearMonth.of(2026, 1), YearMonth.of(2026, 3)));

        String plain = owner.get(base + "/usage?" + PERIOD).then().statusCode(200).extract().asString();
        assertFalse(plain.contains("id=\"departments\""), "the default view costs the same whatever the account's size");
        String page = owner.get(base + "/usage?" + PERIOD + "&chart=department").then().statusCode(200).extract()
                .asString();
        List<List<String>> rows = departmentRows(page);
        Map<List<String>, List<BigDecimal>> shown = new LinkedHashMap<>();
        for (List<String> row : rows) {
            shown.put(List.of(row.get(0), row.get(1)),
                    List.of(new BigDecimal(row.get(3)), new BigDecimal(row.get(4)), new BigDecimal(row.get(5))));
            assertEquals(row.get(0).isEmpty() ? UsageService.NO_DEPARTMENT : row.get(0), row.get(2));
        }
        assertEquals(new TreeMap<>(keyed(expected)), new TreeMap<>(keyed(shown)));

        Map<String, List<BigDecimal>> subtotals = new LinkedHashMap<>();
        Matcher m = SUBTOTAL.matcher(page);
        while (m.find()) {
            subtotals.put(m.group(1), List.of(new BigDecimal(m.group(2)), new BigDecimal(m.group(3))));
        }
        Map<String, List<BigDecimal>> expectedSubtotals = new LinkedHashMap<>();
        expected.forEach((key, sums) -> expectedSubtotals.merge(key.get(0), sums.subList(1, 3), DepartmentUsageTest::add));
        assertEquals(new TreeMap<>(expectedSubtotals), new TreeMap<>(subtotals));
        assertEquals(List.of("BI", "Marketing", "marketing", ""), List.copyOf(subtotals.keySet()));

        BigDecimal[] total = expected.values().stream().map(v -> new BigDecimal[] { v.get(1), v.get(2) })
                .reduce(new BigDecimal[] { BigDecimal.ZERO, BigDecimal.ZERO },
                        (a, b) -> new BigDecimal[] { a[0].add(b[0]), a[1].add(b[1]) });
        Matcher footer = FOOTER.matcher(page);
        assertTrue(footer.find(), page);
        assertEquals(total[0], new BigDecimal(footer.group(1)));
        assertEquals(total[1], new BigDecimal(footer.group(2)));
        assertTrue(page.contains("<dd id=\"total-cost\">" + total[1].toPlainString() + " EUR</dd>"));

        // The per-infrastructure tables name each row's department.
        assertTrue(Pattern.compile("<th scope=\"row\">Hadoop \\(deleted\\)</th>\\s*<td>BI</td>").matcher(page).find());
        assertTrue(Pattern.compile("<th scope=\"row\">ERP</th>\\s*<td><span class=\"muted\">none</span></td>")
                .matcher(page).find());
    }

    @Test
    void theCsvHasADepartmentColumnAndTotalsPerDepartmentThatAddUp() {
        Story s = story();
        String csv = new Browser().signIn(s.owner().email, Users.PASSWORD)
                .get("/accounts/" + s.accountId() + "/usage.csv?" + PERIOD).then().statusCode(200).extract().asString();
        List<List<String>> records = UsageReportTest.parseCsv(csv);
        assertEquals(UsageResource.HEADER, records.get(0));
        assertEquals("Department", records.get(0).get(1));

        Map<List<String>, List<BigDecimal>> detail = new LinkedHashMap<>();
        Map<String, List<BigDecimal>> periodDetail = new LinkedHashMap<>();
        Map<List<String>, List<BigDecimal>> monthTotals = new LinkedHashMap<>();
        Map<String, List<BigDecimal>> periodTotals = new LinkedHashMap<>();
        List<String> overall = null;
        String previous = null;
        List<String> closed = new ArrayList<>();
        for (List<String> r : records.subList(1, records.size())) {
            assertEquals(9, r.size(), r.toString());
            List<BigDecimal> figures = List.of(new BigDecimal(r.get(6)), new BigDecimal(r.get(7)));
            if (!r.get(2).isEmpty()) {
                detail.merge(List.of(r.get(1), r.get(0)), figures, DepartmentUsageTest::add);
                periodDetail.merge(r.get(1), figures, DepartmentUsageTest::add);
                // A department's rows come together within a month, before its total.
                String key = r.get(0) + "/" + r.get(1);
                assertTrue(key.equals(previous) || !closed.contains(key), "grouped: " + r);
                previous = key;
            } else if (r.get(3).equals(UsageResource.DEPARTMENT_TOTAL) && r.get(0).length() == 7) {
                assertEquals(r.get(0) + "/" + r.get(1), previous, "a department total follows its rows: " + r);
                closed.add(previous);
                monthTotals.put(List.of(r.get(1), r.get(0)), figures);
            } else if (r.get(3).equals(UsageResource.DEPARTMENT_TOTAL)) {
                assertEquals("2026-01 to 2026-03", r.get(0));
                periodTotals.put(r.get(1), figures);
            } else if (r.get(3).equals("Total")) {
                overall = r;
            }
        }
        assertEquals(new TreeMap<>(keyed(detail)), new TreeMap<>(keyed(monthTotals)));
        assertEquals(new TreeMap<>(periodDetail), new TreeMap<>(periodTotals));
        assertEquals(List.of("BI", "Marketing", "marketing", ""), List.copyOf(periodTotals.keySet()));
        BigDecimal cost = periodTotals.values().stream().map(v -> v.get(1)).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal gbHours = periodTotals.values().stream().map(v -> v.get(0)).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(gbHours, new BigDecimal(overall.get(6)));
        assertEquals(cost, new BigDecimal(overall.get(7)));
        assertTrue(records.stream().anyMatch(r -> r.get(3).equals("ERP") && r.get(1).isEmpty()), "none is empty");
    }

    @Test
    void theChartPerDepartmentDrawsTheTableWithATitleADescriptionAndNoScript() {
        Story s = story();
        Browser owner = new Browser().signIn(s.owner().email, Users.PASSWORD);
        String base = "/accounts/" + s.accountId() + "/usage?" + PERIOD;

        String infrastructures = owner.get(base).then().statusCode(200).extract().asString();
        assertTrue(infrastructures.contains("<a href=\"" + "/accounts/" + s.accountId() + "/usage?from=2026-01&amp;to=2026-03"
                + "&amp;chart=department\">Per department (totals and chart)</a>"), infrastructures);
        assertTrue(infrastructures.contains("aria-current=\"true\">Chart per infrastructure</a>"));

        String page = owner.get(base + "&chart=department").then().statusCode(200).extract().asString();
        assertTrue(page.contains("aria-current=\"true\">Per department (totals and chart)</a>"));
        assertTrue(page.contains("<input type=\"hidden\" name=\"chart\" value=\"department\">"), "the period form keeps it");
        String svg = page.substring(page.indexOf("<svg"), page.indexOf("</svg>"));
        assertTrue(svg.contains("role=\"img\" aria-labelledby=\"chart-title chart-desc\""), svg);
        assertTrue(svg.contains("<title id=\"chart-title\">Cost per department per month, 2026-01 to 2026-03 (EUR)</title>"), svg);
        assertFalse(svg.contains("<script") || Pattern.compile("\\son[a-z]+=").matcher(svg).find() || svg.contains("style="));

        List<List<String>> bars = new ArrayList<>();
        Matcher m = BAR.matcher(svg);
        while (m.find()) {
            bars.add(List.of(m.group(1), m.group(2), m.group(3), m.group(4)));
        }
        List<List<String>> table = departmentRows(page).stream().map(r -> List.of(r.get(0), r.get(1), r.get(5))).toList();
        assertFalse(table.isEmpty());
        assertEquals(table, bars.stream().map(b -> b.subList(0, 3)).toList(), "one bar per row of the table, in its order");
        BigDecimal max = bars.stream().map(b -> new BigDecimal(b.get(2))).reduce(BigDecimal.ZERO, BigDecimal::max);
        for (List<String> bar : bars) {
            double length = new BigDecimal(bar.get(2)).doubleValue() / max.doubleValue() * UsageChart.BAR_SPACE;
            assertEquals(Math.max(length, new BigDecimal(bar.get(2)).signum() > 0 ? 1 : 0), Integer.parseInt(bar.get(3)),
                    1.0, bar.toString());
        }
        assertTrue(svg.contains("<desc id=\"chart-desc\">Cost in EUR of each department, month by month, " + bars.size()
                + " bars; the longest is " + max.toPlainString() + " EUR."), svg);
        assertTrue(svg.contains("<text class=\"chart-month\" x=\"0\" y=\"20\">BI</text>"), "a heading per department");

        // Anything else draws the chart per infrastructure.
        String other = owner.get(base + "&chart=%3Cb%3E").then().statusCode(200).extract().asString();
        assertTrue(other.contains("Cost per infrastructure per month"));
    }

    @Test
    void theApiGivesEachRowItsDepartmentAndTheSameTotals() {
        Story s = story();
        Response answer = ApiFixtures.api(fixtures.global(s.owner()))
                .get("/api/v1/accounts/" + s.accountId() + "/usage?" + PERIOD);
        answer.then().statusCode(200);
        Map<List<String>, List<BigDecimal>> expected = sumsOfRows(
                usage.report(s.accountId(), YearMonth.of(2026, 1), YearMonth.of(2026, 3)));
        Map<List<String>, List<BigDecimal>> given = new LinkedHashMap<>();
        List<Map<String, Object>> departments = answer.jsonPath().getList("departments");
        for (Map<String, Object> department : departments) {
            String key = Objects.requireNonNullElse((String) department.get("department"), "");
            for (Object item : (List<?>) department.get("months")) {
                Map<?, ?> month = (Map<?, ?>) item;
                given.put(List.of(key, (String) month.get("month")), List.of(
                        new BigDecimal(month.get("infrastructures").toString()),
                        new BigDecimal(month.get("gbHours").toString()).setScale(3),
                        new BigDecimal(month.get("cost").toString()).setScale(2)));
            }
        }
        assertEquals(new TreeMap<>(keyed(expected)), new TreeMap<>(keyed(given)));
        assertEquals("BI", answer.jsonPath().getString("months[1].rows.find { it.infrastructure == 'Hadoop' }.department"));
        assertNull(answer.jsonPath().getString("months[2].rows.find { it.infrastructure == 'ERP' }.department"));
    }

    @Test
    void withoutDepartmentsThePageStaysAsItWas() {
        User owner = users.active(Users.uniqueEmail("dept-none"));
        Long account = UsageFixtures.accountOf(owner);
        Long web = UsageFixtures.infrastructure(account, owner, "Web", Instant.parse("2026-01-01T00:00:00Z"));
        UsageFixtures.drive(web, owner, "www", 10, Instant.parse("2026-03-01T00:00:00Z"), null);
        String page = new Browser().signIn(owner.email, Users.PASSWORD)
                .get("/accounts/" + account + "/usage?chart=department").then().statusCode(200).extract().asString();
        assertFalse(page.contains("id=\"departments\""), "no table of one group called none");
        assertTrue(page.contains("id=\"no-departments\""), "the view per department says why it is empty");
        assertTrue(page.contains("Cost per infrastructure per month"));
    }

    @Test
    void departmentTotalsCoverEveryInfrastructureWhenTheRowsTakeSeveralPages() {
        User owner = users.active(Users.uniqueEmail("dept-pages"));
        Long account = UsageFixtures.accountOf(owner);
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        for (int i = 0; i < 27; i++) {
            Long id = infrastructure(account, owner, String.format("node-%02d", i), i % 3 == 0 ? null : "Team " + i % 3,
                    start);
            UsageFixtures.drive(id, owner, "d", 1 + i, start.plusSeconds(37L * i), null);
        }
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        String base = "/accounts/" + account + "/usage?from=2026-03&to=2026-03";
        String first = browser.get(base + "&chart=department").then().statusCode(200).extract().asString();
        String second = browser.get(base + "&page=2&chart=department").then().statusCode(200).extract().asString();
        assertTrue(first.contains("id=\"totals-in-csv\""), "the rows take more than one page");
        assertEquals(25, UsageReportTest.pageRows(first).size());

        Map<List<String>, List<BigDecimal>> expected = sumsOfRows(
                usage.report(account, YearMonth.of(2026, 3), YearMonth.of(2026, 3)));
        for (String page : List.of(first, second)) {
            Map<List<String>, List<BigDecimal>> shown = new LinkedHashMap<>();
            for (List<String> row : departmentRows(page)) {
                shown.put(List.of(row.get(0), row.get(1)),
                        List.of(new BigDecimal(row.get(3)), new BigDecimal(row.get(4)), new BigDecimal(row.get(5))));
            }
            assertEquals(new TreeMap<>(keyed(expected)), new TreeMap<>(keyed(shown)));
        }
        assertEquals(List.of(new BigDecimal(9)), List.of(expected.get(List.of("", "2026-03")).get(0)));
    }

    /** Maps keyed by a list, keyed by one string instead so they sort. */
    static <V> Map<String, V> keyed(Map<List<String>, V> map) {
        Map<String, V> keyed = new LinkedHashMap<>();
        map.forEach((key, value) -> keyed.put(String.join("/", key), value));
        return keyed;
    }

    private static final Pattern ROW = Pattern.compile("<tr data-department=\"([^\"]*)\" data-month=\"([^\"]+)\">"
            + "\\s*<th scope=\"row\">(?:<em>)?([^<]*)(?:</em>)?</th>\\s*<td>[^<]*</td>"
            + "\\s*<td class=\"num\">(\\d+)</td>\\s*<td class=\"num\">([^<]*)</td>\\s*<td class=\"num\">([^<]*)</td>");
    private static final Pattern SUBTOTAL = Pattern.compile("<tr class=\"subtotal\" data-department=\"([^\"]*)\""
            + " data-total=\"department\"><th[^>]*>[^<]*</th><td class=\"num\">([^<]*)</td><td class=\"num\">([^<]*)</td>");
    private static final Pattern FOOTER = Pattern.compile("<tr data-total=\"departments\"><th[^>]*>[^<]*</th>"
            + "<td class=\"num\">([^<]*)</td><td class=\"num\">([^<]*)</td>");
    private static final Pattern BAR = Pattern.compile("<g data-department=\"([^\"]*)\" data-month=\"([^\"]+)\""
            + " data-cost=\"([^\"]+)\" data-length=\"(\\d+)\">");

    /** Department key, month, label, infrastructures, GB-hours, cost of each row of the department table. */
    static List<List<String>> departmentRows(String html) {
        List<List<String>> rows = new ArrayList<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            rows.add(List.of(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)));
        }
        return rows;
    }
}
