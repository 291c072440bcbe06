package io.dap.portal.infrastructure;

import java.time.Instant;

import io.dap.portal.account.Infrastructure;

/** One line of the infrastructures list, read in the same statement as the page. */
public record InfrastructureRow(Long id, String label, String description, String department,
        Infrastructure.Status status,
        String createdByName, Instant createdAt, long driveCount, long pendingDrives, Instant deployedAt) {

    public boolean deployed() {
        return status == Infrastructure.Status.DEPLOYED;
    }

    /** "Deployed", "Draft", or "Changes not deployed" when drives wait for the next deploy. */
    public String deployState() {
        if (status == Infrastructure.Status.DRAFT) {
            return "Draft";
        }
        return pendingDrives > 0 ? "Changes not deployed" : "Deployed";
    }
}
