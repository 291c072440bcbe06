package io.dap.portal.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.infrastructure.InfrastructureRow;
import io.dap.portal.infrastructure.InfrastructureView;
import io.dap.portal.sharing.GrantRow;
import io.dap.portal.usage.UsageService;
import io.dap.portal.web.Page;

/** What the JSON API reads and writes: plain records, separate from the entities so the contract stays put. */
public final class ApiModel {

    private ApiModel() {
    }

    // Requests

    /** {@code department}: the department or cost centre; "" for none, left out (or null) to keep it as it is. */
    public record InfrastructureInput(String label, String description, String department) {
    }

    public record DriveInput(String label, Integer sizeGb) {
    }

    /** {@code until}: last day of access, inclusive (yyyy-mm-dd, UTC); optional. */
    public record GrantInput(String email, String role, String label, String until) {
    }

    // Responses

    public record PageOf<T>(List<T> items, int page, int size, long total, int totalPages) {

        static <S, T> PageOf<T> of(Page<S> page, List<T> items) {
            return new PageOf<>(items, page.number(), page.size(), page.total(), page.totalPages());
        }
    }

    /**
     * {@code role}: OWNER, an account role (ACCOUNT_ADMINISTRATOR …) or INFRASTRUCTURE_DELEGATE;
     * {@code infrastructures}: each infrastructure grant that adds to that role (rights add up).
     */
    public record AccountJson(Long id, String name, String ownerName, String ownerEmail, String role,
            List<InfrastructureRoleJson> infrastructures, boolean own) {
    }

    public record InfrastructureRoleJson(Long infrastructureId, String role) {
    }

    /** {@code department}: null when none. */
    public record InfrastructureSummary(Long id, String label, String description, String department,
            Infrastructure.Status status, String createdBy, Instant createdAt, Instant deployedAt, long drives,
            long pendingDrives) {

        static InfrastructureSummary of(InfrastructureRow row) {
            return new InfrastructureSummary(row.id(), row.label(), row.description(), row.department(), row.status(),
                    row.createdByName(), row.createdAt(), row.deployedAt(), row.driveCount(), row.pendingDrives());
        }
    }

    public record DriveJson(Long id, String label, int sizeGb, Drive.Status status, Instant provisionedAt,
            String provisionedBy) {

        static DriveJson of(InfrastructureView.DriveRow drive) {
            return new DriveJson(drive.id(), drive.label(), drive.sizeGb(), drive.status(), drive.provisionedAt(),
                    drive.provisionedByName());
        }
    }

    public record InfrastructureJson(Long id, String label, String description, String department,
            Infrastructure.Status status, String createdBy, Instant createdAt, Instant deployedAt,
            List<DriveJson> drives) {

        static InfrastructureJson of(InfrastructureView view) {
            return new InfrastructureJson(view.id(), view.label(), view.description(), view.department(), view.status(),
                    view.createdByName(), view.createdAt(), view.deployedAt(),
                    view.drives().stream().map(DriveJson::of).toList());
        }
    }

    public record DeployJson(int provisioned, InfrastructureJson infrastructure) {
    }

    /** {@code label} is the granter's private note: present only for callers who may share. */
    public record GrantJson(Long id, String email, String displayName, String role, String label, String status,
            String invitedBy, Instant invitedAt, Instant respondedAt, Instant endsAt) {

        static GrantJson of(GrantRow row, boolean withLabel) {
            return new GrantJson(row.id(), row.email(), row.displayName(), row.role().name(),
                    withLabel ? row.label() : null, row.status(), row.invitedByName(), row.invitedAt(),
                    row.respondedAt(), row.endsAt());
        }
    }

    /** {@code department}: null when none. */
    public record UsageRow(Long infrastructureId, String infrastructure, String department, boolean deleted,
            List<String> drives, List<String> deployedBy, BigDecimal gbHours, BigDecimal cost) {
    }

    public record UsageMonth(String month, List<UsageRow> rows, BigDecimal gbHours, BigDecimal cost) {
    }

    public record DepartmentMonthJson(String month, long infrastructures, BigDecimal gbHours, BigDecimal cost) {
    }

    /** {@code department}: null for the infrastructures without one. */
    public record DepartmentJson(String department, BigDecimal gbHours, BigDecimal cost,
            List<DepartmentMonthJson> months) {
    }

    /** {@code departments}: the totals per department over every infrastructure, for chargeback. */
    public record UsageJson(String from, String to, String currency, BigDecimal gbHourPrice, BigDecimal gbHours,
            BigDecimal cost, List<UsageMonth> months, List<DepartmentJson> departments) {

        static UsageJson of(UsageService.GroupedReport grouped) {
            UsageService.Report report = grouped.report();
            return new UsageJson(report.from().toString(), report.to().toString(), report.currency(),
                    report.gbHourPrice(), report.gbHours(), report.cost(),
                    report.months().stream().map(m -> new UsageMonth(m.month().toString(),
                            m.rows().stream().map(r -> new UsageRow(r.infrastructureId(), r.infrastructure(),
                                    r.department(), r.deleted(), r.drives(), r.deployedBy(), r.gbHours(), r.cost()))
                                    .toList(),
                            m.gbHours(), m.cost())).toList(),
                    grouped.departments().departments().stream().map(d -> new DepartmentJson(d.name(), d.gbHours(),
                            d.cost(), d.months().stream().map(m -> new DepartmentMonthJson(m.month().toString(),
                                    m.infrastructures(), m.gbHours(), m.cost())).toList())).toList());
        }
    }
}
