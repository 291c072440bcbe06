package io.dap.portal.sharing;

import java.time.Instant;

import io.dap.portal.access.Role;

/** One line of a sharing page: plain values, with the derived status and the last mail's delivery. */
public record GrantRow(Long id, Long granteeId, String email, String displayName, Role role,
        String infrastructureLabel, String label, String status,
        String invitedByName, Instant invitedAt, Instant respondedAt, Instant endsAt, String mailStatus,
        boolean live, boolean pending, String basePath) {

    public String roleLabel() {
        return role.label();
    }

    /** "Account-wide" or the infrastructure's name: where the grant applies. */
    public String where() {
        return infrastructureLabel == null ? "Account-wide" : infrastructureLabel;
    }

    public String resendAction() {
        return basePath + "/" + id + "/resend";
    }

    public String cancelAction() {
        return basePath + "/" + id + "/cancel";
    }

    public String roleAction() {
        return basePath + "/" + id + "/role";
    }

    public String revokePath() {
        return basePath + "/" + id + "/revoke";
    }

    /**
     * Accepted access whose end date passed: it gives nothing any more, so there is no role to
     * change; Revoke still tidies it (and its keys) away, and a new invitation can give access again.
     */
    public boolean ranOut() {
        return live && !pending && "Expired".equals(status);
    }

    public String statusClass() {
        return status.toLowerCase(java.util.Locale.ROOT);
    }
}
