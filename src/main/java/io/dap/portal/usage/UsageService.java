package io.dap.portal.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.web.InList;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.TimeSource;

/**
 * The utilization report: GB-hours and cost per infrastructure and calendar month (UTC), billed to
 * the owner account whoever deployed (R7). Deleted infrastructures and drives keep their history.
 * One query fetches every drive overlapping the period; the arithmetic is done here, so the page,
 * the CSV and the invoices share the same figures. The totals per department are added up by the
 * database in one grouped query that follows the same arithmetic (tests hold the two equal).
 */
@ApplicationScoped
public class UsageService {

    /** Default period: the current month and the two before it. */
    static final int DEFAULT_MONTHS = 3;
    /** Bounds the work of one request; five years is plenty for a report. */
    static final int MAX_MONTHS = 60;

    /** How the page names the group of infrastructures without a department. */
    public static final String NO_DEPARTMENT = "No department";

    /**
     * Departments by name as people read them (case aside), then exactly, so the order is the same
     * on every database; none (null) last.
     */
    public static final Comparator<String> DEPARTMENT_ORDER = Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER
            .thenComparing(Comparator.naturalOrder()));

    private static final BigDecimal MICROS_PER_HOUR = BigDecimal.valueOf(3_600_000_000L);
    private static final DateTimeFormatter MONTH_LABEL = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);

    @Inject
    PortalConfig config;

    @Inject
    TimeSource time;

    /** One drive as the report query returns it. */
    public record DriveSpan(Long infrastructureId, String infrastructureLabel, String department,
            Infrastructure.Status infrastructureStatus, String driveLabel, int sizeGb, Drive.Status driveStatus, Instant provisionedAt, Instant deletedAt,
            String deployedBy) {

        boolean driveDeleted() {
            return driveStatus == Drive.Status.DELETED || deletedAt != null;
        }
    }

    /** One infrastructure in one month; {@code department} is null when it has none. */
    public record Row(Long infrastructureId, String infrastructure, String department, boolean deleted,
            List<String> drives, List<String> deployedBy, BigDecimal gbHours, BigDecimal cost) {

        public String departmentLabel() {
            return department == null ? NO_DEPARTMENT : department;
        }

        /** The label as the page and the CSV show it. */
        public String label() {
            return deleted ? infrastructure + " (deleted)" : infrastructure;
        }

        public String drivesText() {
            return String.join(", ", drives);
        }

        public String deployedByText() {
            return String.join(", ", deployedBy);
        }
    }

    public record Month(YearMonth month, List<Row> rows, BigDecimal gbHours, BigDecimal cost) {

        public String label() {
            return MONTH_LABEL.format(month);
        }

        public boolean isEmpty() {
            return rows.isEmpty();
        }
    }

    public record Report(YearMonth from, YearMonth to, List<Month> months, BigDecimal gbHours, BigDecimal cost,
            BigDecimal gbHourPrice, String currency) {

        public boolean isEmpty() {
            return months.stream().allMatch(Month::isEmpty);
        }
    }

    /** The months a report covers, and why the requested ones were not used, if they were not. */
    public record Period(YearMonth from, YearMonth to, String problem) {

        public String fromText() {
            return from.toString();
        }

        public String toText() {
            return to.toString();
        }
    }

    private YearMonth currentMonth() {
        return YearMonth.from(time.now().atZone(ZoneOffset.UTC));
    }

    /**
     * Reads a {@code from}/{@code to} filter (YYYY-MM). Anything unusable falls back to the default
     * period with a message rather than an error page: a bad bookmark should still show a report.
     */
    public Period period(String rawFrom, String rawTo) {
        YearMonth now = currentMonth();
        Period fallback = new Period(now.minusMonths(DEFAULT_MONTHS - 1), now, null);
        boolean noFrom = rawFrom == null || rawFrom.isBlank();
        boolean noTo = rawTo == null || rawTo.isBlank();
        if (noFrom && noTo) {
            return fallback;
        }
        YearMonth to = noTo ? now : parseMonth(rawTo);
        YearMonth from = noFrom ? (to == null ? null : to.minusMonths(DEFAULT_MONTHS - 1)) : parseMonth(rawFrom);
        String problem = null;
        if (from == null || to == null) {
            problem = "Months are written as YYYY-MM, for example " + now + ".";
        } else if (from.isAfter(to)) {
            problem = "The first month must not be after the last one.";
        } else if (to.isAfter(now)) {
            problem = "The report cannot go past the current month.";
        } else if (from.plusMonths(MAX_MONTHS - 1).isBefore(to)) {
            problem = "A report covers at most " + MAX_MONTHS + " months.";
        }
        if (problem != null) {
            return new Period(fallback.from(), fallback.to(), problem + " Showing the last " + DEFAULT_MONTHS
                    + " months instead.");
        }
        return new Period(from, to, null);
    }

    private static YearMonth parseMonth(String raw) {
        String value = raw.strip();
        if (value.length() != 7) {
            return null;
        }
        try {
            return YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Usage of one account's infrastructures from the first day of {@code from} to the end of {@code to} (or now). */
    @Transactional
    public Report report(Long accountId, YearMonth from, YearMonth to) {
        return compute(spans(accountId, null, from, to), from, to, now());
    }

    /** The whole report and its totals per department, measured up to the same instant: two statements. */
    public record GroupedReport(Report report, Departments departments) {
    }

    @Transactional
    public GroupedReport grouped(Long accountId, YearMonth from, YearMonth to) {
        Instant now = now();
        return new GroupedReport(compute(spans(accountId, null, from, to), from, to, now),
                departments(accountId, from, to, now));
    }

    /** One department's usage in one month: the sum of its infrastructures' rows of that month. */
    public record DepartmentMonth(String department, YearMonth month, long infrastructures, BigDecimal gbHours,
            BigDecimal cost) {

        public String monthLabel() {
            return MONTH_LABEL.format(month);
        }
    }

    /** One department (null: the infrastructures without one) over the period, its months with usage first to last. */
    public record Department(String name, List<DepartmentMonth> months, BigDecimal gbHours, BigDecimal cost) {

        public String label() {
            return name == null ? NO_DEPARTMENT : name;
        }

        /** The department as the CSV and the markup carry it: empty for none. */
        public String key() {
            return name == null ? "" : name;
        }

        public boolean none() {
            return name == null;
        }
    }

    /** Every department with usage in the period, by name, "No department" last; and their sum, the period's total. */
    public record Departments(List<Department> departments, BigDecimal gbHours, BigDecimal cost) {

        public boolean isEmpty() {
            return departments.isEmpty();
        }

        /** Whether grouping says anything: some infrastructure has a department. */
        public boolean named() {
            return departments.stream().anyMatch(d -> !d.none());
        }

        /** Not asked for: the page of infrastructures alone. */
        static Departments notAsked() {
            return new Departments(List.of(), UsageService.gbHours(BigDecimal.ZERO), UsageService.money(BigDecimal.ZERO));
        }
    }

    /**
     * The report of one page of infrastructures (by label) with usage in the period, for the
     * page: the rows shown, and totals only when the page holds every infrastructure (else the CSV
     * has them). Two statements whatever the number of infrastructures: the page's ids, in the
     * order of the account's label index, then their drives. With {@code departments}, a third:
     * the totals per department over every infrastructure, whose work grows with the account like
     * the CSV's, so only the view per department asks for them.
     */
    public record ReportPage(Report report, Page<Long> infrastructures, Departments departments) {

        /** The totals shown are the whole period's: everything fitted on this one page. */
        public boolean complete() {
            return infrastructures.number() == 1 && !infrastructures.more();
        }
    }

    @Transactional
    public ReportPage page(Long accountId, YearMonth from, YearMonth to, int requestedPage, int size,
            boolean departments) {
        int number = Math.max(1, requestedPage);
        List<Long> ids = Drive.getEntityManager().createQuery("""
                select i.id from Infrastructure i where i.account.id = :account and exists (select 1 from Drive d
                  where d.infrastructure = i and d.provisionedAt is not null and d.provisionedAt < :end
                  and (d.deletedAt is null or d.deletedAt > :start))
                order by i.account.id, i.label, i.id""", Long.class)
                .setParameter("account", accountId)
                .setParameter("start", startOf(from))
                .setParameter("end", startOf(to.plusMonths(1)))
                .setFirstResult((number - 1) * size).setMaxResults(size + 1).getResultList();
        List<Long> shown = ids.stream().limit(size).toList();
        List<DriveSpan> spans = shown.isEmpty() ? List.of() : spans(accountId, shown, from, to);
        Instant now = now();
        return new ReportPage(compute(spans, from, to, now), Page.slice(shown, number, size, ids.size() > size),
                departments ? departments(accountId, from, to, now) : Departments.notAsked());
    }

    /** Microseconds, as the columns keep them, so the rows and the grouped sums read the same instant. */
    private Instant now() {
        return time.now().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Totals per department and month of every infrastructure of the account, added up by the
     * database in one statement whatever the number of infrastructures or departments. It repeats
     * the arithmetic of {@link #month} step for step, so its sums equal the sums of the rows: the
     * overlap of each drive with each month in microseconds, rounded half up to thousandths of an
     * hour, times the size; per infrastructure and month the cost rounded to cents; per department
     * the sum of those. The months are a derived table of their bounds, each month ending at
     * {@code now} at the latest, so running drives count up to the same instant as the rows.
     */
    private Departments departments(Long accountId, YearMonth from, YearMonth to, Instant now) {
        StringBuilder months = new StringBuilder();
        List<YearMonth> index = new ArrayList<>();
        for (YearMonth month = from; !month.isAfter(to); month = month.plusMonths(1)) {
            int i = index.size();
            months.append(i == 0 ? "" : " union all ").append("select ").append(i)
                    .append(" as month_index, cast(:start").append(i).append(" as timestamp with time zone) as starts,")
                    .append(" cast(:end").append(i).append(" as timestamp with time zone) as ends");
            index.add(month);
        }
        String overlapEnd = "least(coalesce(d.deleted_at, m.ends), m.ends)";
        String overlapStart = "greatest(d.provisioned_at, m.starts)";
        String milliHours = "(cast(round((extract(epoch from " + overlapEnd + ") - extract(epoch from " + overlapStart
                + ")) * 1000000) as bigint) + 1800000) / 3600000";
        var query = Drive.getEntityManager().createNativeQuery("""
                select x.department, x.month_index, count(*), sum(x.milli_gb_hours), sum(x.cost)
                from (select s.department as department, s.month_index as month_index,
                             sum(s.milli_gb_hours) as milli_gb_hours,
                             round(sum(s.milli_gb_hours) * cast(:price as numeric(38, 20)), 2) as cost
                      from (select i.id as infrastructure_id, i.department as department, m.month_index as month_index,
                                   %s * d.size_gb as milli_gb_hours
                            from drive d join infrastructure i on i.id = d.infrastructure_id
                            cross join (%s) m
                            where i.account_id = :account and d.provisioned_at is not null
                              and %s > %s) s
                      group by s.infrastructure_id, s.department, s.month_index) x
                group by x.department, x.month_index""".formatted(milliHours, months, overlapEnd, overlapStart))
                .setParameter("account", accountId)
                // The price of a thousandth of a GB-hour: the sums above count thousandths.
                .setParameter("price", config.billing().gbHourPrice().movePointLeft(3));
        for (int i = 0; i < index.size(); i++) {
            Instant start = startOf(index.get(i));
            Instant end = min(startOf(index.get(i).plusMonths(1)), now);
            query.setParameter("start" + i, start.atOffset(ZoneOffset.UTC));
            query.setParameter("end" + i, (end.isAfter(start) ? end : start).atOffset(ZoneOffset.UTC));
        }
        // A TreeMap with a null key: DEPARTMENT_ORDER puts "none" last.
        Map<String, List<DepartmentMonth>> byDepartment = new TreeMap<>(DEPARTMENT_ORDER);
        for (Object result : query.getResultList()) {
            Object[] r = (Object[]) result;
            String department = (String) r[0];
            DepartmentMonth month = new DepartmentMonth(department, index.get(((Number) r[1]).intValue()),
                    ((Number) r[2]).longValue(), new BigDecimal(r[3].toString()).movePointLeft(3).setScale(3),
                    money(new BigDecimal(r[4].toString())));
            byDepartment.computeIfAbsent(department, d -> new ArrayList<>()).add(month);
        }
        List<Department> departments = new ArrayList<>();
        byDepartment.forEach((name, monthly) -> departments.add(department(name, monthly)));
        return new Departments(List.copyOf(departments),
                departments.stream().map(Department::gbHours).reduce(gbHours(BigDecimal.ZERO), BigDecimal::add),
                departments.stream().map(Department::cost).reduce(money(BigDecimal.ZERO), BigDecimal::add));
    }

    private static Department department(String name, List<DepartmentMonth> months) {
        List<DepartmentMonth> sorted = months.stream().sorted(Comparator.comparing(DepartmentMonth::month))
                .toList();
        return new Department(name, sorted,
                sorted.stream().map(DepartmentMonth::gbHours).reduce(gbHours(BigDecimal.ZERO), BigDecimal::add),
                sorted.stream().map(DepartmentMonth::cost).reduce(money(BigDecimal.ZERO), BigDecimal::add));
    }

    /** The drives overlapping the period, of every infrastructure of the account or of the given ones: one query. */
    private static List<DriveSpan> spans(Long accountId, List<Long> infrastructureIds, YearMonth from, YearMonth to) {
        InList shown = infrastructureIds == null ? null : InList.of("infrastructure", infrastructureIds);
        var query = Drive.getEntityManager().createQuery("""
                select i.id, i.label, i.department, i.status, d.label, d.sizeGb, d.status, d.provisionedAt, d.deletedAt,
                       u.displayName
                from Drive d join d.infrastructure i left join d.provisionedBy u
                where i.account.id = :account and d.provisionedAt is not null and d.provisionedAt < :end
                  and (d.deletedAt is null or d.deletedAt > :start)"""
                + (shown == null ? "" : " and i.id in " + shown.sql())
                + " order by i.label, i.id, d.label, d.id", DriveSpan.class)
                .setParameter("account", accountId)
                .setParameter("start", startOf(from))
                .setParameter("end", startOf(to.plusMonths(1)));
        if (shown != null) {
            shown.bind(query);
        }
        return query.getResultList();
    }

    private Report compute(List<DriveSpan> spans, YearMonth from, YearMonth to, Instant now) {
        BigDecimal price = config.billing().gbHourPrice();
        List<Month> months = new ArrayList<>();
        BigDecimal totalGbHours = gbHours(BigDecimal.ZERO);
        BigDecimal totalCost = money(BigDecimal.ZERO);
        for (YearMonth month = from; !month.isAfter(to); month = month.plusMonths(1)) {
            Month usage = month(spans, month, now, price);
            months.add(usage);
            totalGbHours = totalGbHours.add(usage.gbHours());
            totalCost = totalCost.add(usage.cost());
        }
        return new Report(from, to, List.copyOf(months), totalGbHours, totalCost, price, config.billing().currency());
    }

    private static Month month(List<DriveSpan> spans, YearMonth month, Instant now, BigDecimal price) {
        Instant monthStart = startOf(month);
        Instant monthEnd = startOf(month.plusMonths(1));
        Map<Long, List<DriveSpan>> byInfrastructure = new LinkedHashMap<>();
        Map<Long, BigDecimal> gbHoursByInfrastructure = new LinkedHashMap<>();
        for (DriveSpan span : spans) {
            Instant from = max(span.provisionedAt(), monthStart);
            Instant until = min(min(span.deletedAt() == null ? now : span.deletedAt(), now), monthEnd);
            if (!until.isAfter(from)) {
                continue;
            }
            BigDecimal gbHours = hours(Duration.between(from, until)).multiply(BigDecimal.valueOf(span.sizeGb()));
            byInfrastructure.computeIfAbsent(span.infrastructureId(), id -> new ArrayList<>()).add(span);
            gbHoursByInfrastructure.merge(span.infrastructureId(), gbHours, BigDecimal::add);
        }
        List<Row> rows = new ArrayList<>();
        BigDecimal monthGbHours = gbHours(BigDecimal.ZERO);
        BigDecimal monthCost = money(BigDecimal.ZERO);
        for (Map.Entry<Long, List<DriveSpan>> entry : byInfrastructure.entrySet()) {
            List<DriveSpan> drives = entry.getValue();
            DriveSpan first = drives.get(0);
            BigDecimal gbHours = gbHours(gbHoursByInfrastructure.get(entry.getKey()));
            // Each line is rounded on its own and totals add the rounded lines, as an invoice does.
            BigDecimal cost = money(gbHours.multiply(price));
            List<String> driveLabels = drives.stream()
                    .map(d -> d.driveLabel() + " (" + d.sizeGb() + " GB)" + (d.driveDeleted() ? " (deleted)" : ""))
                    .toList();
            List<String> deployedBy = drives.stream().map(DriveSpan::deployedBy).filter(Objects::nonNull).distinct()
                    .sorted().toList();
            rows.add(new Row(first.infrastructureId(), first.infrastructureLabel(), first.department(),
                    first.infrastructureStatus() == Infrastructure.Status.DELETED, driveLabels, deployedBy, gbHours,
                    cost));
            monthGbHours = monthGbHours.add(gbHours);
            monthCost = monthCost.add(cost);
        }
        return new Month(month, List.copyOf(rows), monthGbHours, monthCost);
    }

    /** Hours to three decimals: the precision the report and invoices show. */
    static BigDecimal hours(Duration duration) {
        long micros = duration.getSeconds() * 1_000_000L + duration.getNano() / 1_000;
        return BigDecimal.valueOf(micros).divide(MICROS_PER_HOUR, 3, RoundingMode.HALF_UP);
    }

    static Instant startOf(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static BigDecimal gbHours(BigDecimal value) {
        return value.setScale(3, RoundingMode.HALF_UP);
    }

    private static BigDecimal money(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_UP);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
