package io.dap.portal.billing;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

import io.dap.portal.account.Account;
import io.dap.portal.account.Drive;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.usage.UsageService;
import io.dap.portal.web.Page;
import io.dap.portal.web.TimeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Monthly invoices: one per account and completed month with usage, issued to the owner account
 * from the same figures as the utilization report. Issuing is idempotent and safe to run on
 * several instances at once: each invoice is inserted in its own transaction and the unique
 * (account, period) constraint turns a lost race into a no-op.
 */
@ApplicationScoped
public class InvoiceService {

    private static final Logger LOG = Logger.getLogger(InvoiceService.class);

    @Inject
    UsageService usage;

    @Inject
    TimeSource time;

    @Inject
    AuditLog audit;

    /**
     * By default shortly after midnight UTC, so the month that just ended is billed on its first day.
     * Every instance runs it; the unique (account, period) constraint keeps one invoice per month.
     */
    @Scheduled(cron = "${portal.billing.invoice-schedule}", timeZone = "UTC",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onSchedule() {
        List<Long> accountIds = QuarkusTransaction.requiringNew().call(() -> Drive.find(
                "select distinct d.infrastructure.account.id from Drive d where d.provisionedAt is not null")
                .project(Long.class).list());
        int issued = 0;
        for (Long accountId : accountIds) {
            try {
                issued += issueDue(accountId);
            } catch (RuntimeException e) {
                // One account's failure must not hold up the others; the next run retries it.
                LOG.errorf(e, "Could not issue the invoices of account %d", accountId);
            }
        }
        if (issued > 0) {
            LOG.infof("Issued %d invoices", issued);
        }
    }

    /**
     * Issues every missing invoice of the account, oldest first: the months after its latest invoice
     * (months before it are final: usage only ever accrues up to now) up to the last completed month.
     * Returns how many were issued by this call.
     */
    public int issueDue(Long accountId) {
        YearMonth lastCompleted = YearMonth.from(time.now().atZone(ZoneOffset.UTC)).minusMonths(1);
        Optional<YearMonth> first = QuarkusTransaction.requiringNew().call(() -> firstUnbilledMonth(accountId));
        if (first.isEmpty() || first.get().isAfter(lastCompleted)) {
            return 0;
        }
        UsageService.Report report = usage.report(accountId, first.get(), lastCompleted);
        int issued = 0;
        for (UsageService.Month month : report.months()) {
            if (!month.isEmpty() && issue(accountId, month, report.currency())) {
                issued++;
            }
        }
        return issued;
    }

    private static Optional<YearMonth> firstUnbilledMonth(Long accountId) {
        Instant firstUsage = Drive.find("select min(d.provisionedAt) from Drive d"
                + " where d.infrastructure.account.id = ?1", accountId).project(Instant.class).firstResult();
        if (firstUsage == null) {
            return Optional.empty();
        }
        YearMonth firstUsageMonth = YearMonth.from(firstUsage.atZone(ZoneOffset.UTC));
        return Optional.of(Invoice.latestPeriod(accountId).map(p -> p.plusMonths(1))
                .filter(next -> next.isAfter(firstUsageMonth)).orElse(firstUsageMonth));
    }

    /** Inserts one month's invoice in its own transaction; false when it already exists (e.g. a lost race). */
    boolean issue(Long accountId, UsageService.Month month, String currency) {
        try {
            QuarkusTransaction.requiringNew().run(() -> insert(accountId, month, currency));
            return true;
        } catch (RuntimeException e) {
            if (isConstraintViolation(e)
                    && QuarkusTransaction.requiringNew().call(() -> Invoice.exists(accountId, month.month()))) {
                return false;
            }
            throw e;
        }
    }

    private void insert(Long accountId, UsageService.Month month, String currency) {
        Account account = Account.findById(accountId);
        Invoice invoice = new Invoice();
        invoice.account = account;
        invoice.period = month.month().toString();
        invoice.issuedAt = time.now();
        invoice.billingName = account.billingName;
        invoice.billingAddress = account.billingAddress;
        invoice.totalGbHours = month.gbHours();
        invoice.totalAmount = month.cost();
        invoice.currency = currency;
        invoice.persist();
        // Flush now so a duplicate fails here, before anything else of this invoice is written.
        invoice.flush();
        for (UsageService.Row row : month.rows()) {
            InvoiceLine line = new InvoiceLine();
            line.invoice = invoice;
            line.infrastructureId = row.infrastructureId();
            line.infrastructureLabel = row.infrastructure();
            line.gbHours = row.gbHours();
            line.amount = row.cost();
            String drives = row.drivesText();
            line.drives = drives.length() <= 2000 ? drives : drives.substring(0, 1997) + "…";
            line.persist();
        }
        audit.inAccount(accountId, null, null, AuditAction.INVOICE_ISSUED, Outcome.SUCCESS,
                "invoice " + invoice.id, invoice.period + ": " + invoice.totalAmount.toPlainString() + " " + currency);
    }

    private static boolean isConstraintViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    @Transactional
    public Page<Invoice> page(Long accountId, int page, int size) {
        return Page.of(Invoice.ofAccount(accountId), page, size);
    }

    /** The invoice with its lines, or empty when the account has no such invoice. */
    @Transactional
    public Optional<InvoiceView> find(Long accountId, Long invoiceId) {
        return Invoice.findInAccount(accountId, invoiceId)
                .map(invoice -> new InvoiceView(invoice, InvoiceLine.of(invoice.id)));
    }

    public record InvoiceView(Invoice invoice, List<InvoiceLine> lines) {

        public List<String> addressLines() {
            return invoice.billingAddress == null ? List.of() : invoice.billingAddress.lines().toList();
        }
    }
}
