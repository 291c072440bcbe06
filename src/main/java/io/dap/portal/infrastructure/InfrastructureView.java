package io.dap.portal.infrastructure;

import java.time.Instant;
import java.util.List;

import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;

/** What the infrastructure editor shows: plain values, no lazy entities in templates. */
public record InfrastructureView(Long id, String label, String description, String department,
        Infrastructure.Status status,
        String createdByName, Instant createdAt, Instant deployedAt, List<DriveRow> drives, String path) {

    public record DriveRow(Long id, String label, int sizeGb, Drive.Status status, Instant provisionedAt,
            String provisionedByName, String path) {

        public boolean pending() {
            return status == Drive.Status.PENDING;
        }

        public String updateAction() {
            return path;
        }

        public String deleteAction() {
            return path + "/delete";
        }
    }

    public long pendingDrives() {
        return drives.stream().filter(DriveRow::pending).count();
    }

    public boolean draft() {
        return status == Infrastructure.Status.DRAFT;
    }

    public String deployAction() {
        return path + "/deploy";
    }

    public String drivesAction() {
        return path + "/drives";
    }

    public String propertiesAction() {
        return path + "/properties";
    }

    public String deleteAction() {
        return path + "/delete";
    }

    static InfrastructureView of(Infrastructure infrastructure, List<Drive> drives, String accountPath) {
        String path = accountPath + "/infrastructures/" + infrastructure.id;
        List<DriveRow> rows = drives.stream().map(d -> new DriveRow(d.id, d.label, d.sizeGb, d.status,
                d.provisionedAt, d.provisionedBy == null ? null : d.provisionedBy.displayName,
                path + "/drives/" + d.id)).toList();
        return new InfrastructureView(infrastructure.id, infrastructure.label, infrastructure.description,
                infrastructure.department,
                infrastructure.status, infrastructure.createdBy.displayName, infrastructure.createdAt,
                infrastructure.deployedAt, rows, path);
    }
}
