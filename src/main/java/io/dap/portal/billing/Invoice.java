package io.dap.portal.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import io.dap.portal.account.Account;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.hibernate.orm.panache.PanacheQuery;

/**
 * The bill of one account for one completed month (at most one: uk_invoice_account_period). The
 * billing name and address are copied at issue time, so later changes leave issued invoices alone.
 */
@Entity
@Table(name = "invoice")
public class Invoice extends PanacheEntityBase {

    private static final DateTimeFormatter PERIOD_LABEL = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The owner account: usage is billed to it, never to the delegate who deployed (R7). */
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "account_id")
    public Account account;

    /** YYYY-MM, UTC. */
    @Column(nullable = false, length = 7)
    public String period;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(name = "billing_name", length = 200)
    public String billingName;

    @Column(name = "billing_address", length = 1000)
    public String billingAddress;

    @Column(name = "total_gb_hours", nullable = false, precision = 18, scale = 3)
    public BigDecimal totalGbHours;

    @Column(name = "total_amount", nullable = false, precision = 18, scale = 2)
    public BigDecimal totalAmount;

    @Column(nullable = false, length = 3)
    public String currency;

    /** A human-friendly reference, unique per account and month. */
    public String number() {
        return "INV-" + period.replace("-", "") + "-" + id;
    }

    public String periodLabel() {
        return PERIOD_LABEL.format(YearMonth.parse(period));
    }

    // Helpers

    public static PanacheQuery<Invoice> ofAccount(Long accountId) {
        return find("account.id = ?1 order by period desc, id desc", accountId);
    }

    /** An invoice of the given account; another account's invoice is "not found" like a missing one. */
    public static Optional<Invoice> findInAccount(Long accountId, Long id) {
        return find("id = ?1 and account.id = ?2", id, accountId).firstResultOptional();
    }

    public static Optional<YearMonth> latestPeriod(Long accountId) {
        return find("select max(i.period) from Invoice i where i.account.id = ?1", accountId).project(String.class)
                .firstResultOptional().map(YearMonth::parse);
    }

    public static boolean exists(Long accountId, YearMonth period) {
        return count("account.id = ?1 and period = ?2", accountId, period.toString()) > 0;
    }
}
