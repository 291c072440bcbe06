package io.dap.portal.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.web.Page;
import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.TimeSource;

/**
 * The utilization report: GB-hours and cost per infrastructure and calendar month (UTC), billed to
 * the owner account whoever deployed (R7). Deleted infrastructures and drives keep their history.
 * One query fetches every drive overlapping the period; the arithmetic is done here, so the page,
 * the CSV and the invoices share the same figures.
 */
@ApplicationScoped
public class UsageService {

    /** Default period: the current month and the two before it. */
    static final int DEFAULT_MONTHS = 3;
    /** Bounds the work of one request; five years is plenty for a report. */
    static final int MAX_MONTHS = 60;

    private static final BigDecimal MICROS_PER_HOUR = BigDecimal.valueOf(3_600_000_000L);
    private static final DateTimeFormatter MONTH_LABEL = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);

    @Inject
    PortalConfig config;

    @Inject
    TimeSource time;

    /** One drive as the report query returns it. */
    public record DriveSpan(Long infrastructureId, String infrastructureLabel, Infrastructure.Status infrastructureStatus,
            String driveLabel, int sizeGb, Drive.Status driveStatus, Instant provisionedAt, Instant deletedAt,
            String deployedBy) {

        boolean driveDeleted() {
            return driveStatus == Drive.Status.DELETED || deletedAt != null;
        }
    }

    /** One infrastructure in one month. */
    public record Row(Long infrastructureId, String infrastructure, boolean deleted, List<String> drives,
            List<String> deployedBy, BigDecimal gbHours, BigDecimal cost) {

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
        return compute(spans(accountId, null, from, to), from, to, time.now());
    }

    /**
     * The report of one page of infrastructures (by label) with usage in the period, for the
     * page: the rows shown, and totals only when the page holds every infrastructure (else the CSV
     * has them). Two statements whatever the number of infrastructures: the page's ids, in the
     * order of the account's label index, then their drives.
     */
    public record ReportPage(Report report, Page<Long> infrastructures) {

        /** The totals shown are the whole period's: everything fitted on this one page. */
        public boolean complete() {
            return infrastructures.number() == 1 && !infrastructures.more();
        }
    }

    @Transactional
    public ReportPage page(Long accountId, YearMonth from, YearMonth to, int requestedPage, int size) {
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
        return new ReportPage(compute(spans, from, to, time.now()), Page.slice(shown, number, size, ids.size() > size));
    }

    /** The drives overlapping the period, of every infrastructure of the account or of the given ones: one query. */
    private static List<DriveSpan> spans(Long accountId, List<Long> infrastructureIds, YearMonth from, YearMonth to) {
        var query = Drive.getEntityManager().createQuery("""
                select i.id, i.label, i.status, d.label, d.sizeGb, d.status, d.provisionedAt, d.deletedAt,
                       u.displayName
                from Drive d join d.infrastructure i left join d.provisionedBy u
                where i.account.id = :account and d.provisionedAt is not null and d.provisionedAt < :end
                  and (d.deletedAt is null or d.deletedAt > :start)"""
                + (infrastructureIds == null ? "" : " and i.id in :infrastructures")
                + " order by i.label, i.id, d.label, d.id", DriveSpan.class)
                .setParameter("account", accountId)
                .setParameter("start", startOf(from))
                .setParameter("end", startOf(to.plusMonths(1)));
        if (infrastructureIds != null) {
            query.setParameter("infrastructures", infrastructureIds);
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
            rows.add(new Row(first.infrastructureId(), first.infrastructureLabel(),
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
