package io.dap.portal.access;

import java.time.Instant;

/**
 * A live impersonation as the session carries it for one request: checked against its grant (or,
 * for an operator's support session, against the operator list) and its end time when the session
 * was resolved, never trusted from the client. {@code support}: an operator acting as a user for
 * support (R21), the request acting as that user.
 */
public record ActiveImpersonation(Long id, Long accountId, Long ownerId, String ownerEmail, String ownerName,
        String reason, Instant expiresAt, boolean support, Long impersonatorId, String impersonatorEmail,
        boolean changesAllowed) {

    public String stopAction() {
        return "/impersonation/stop";
    }

    public String billingPath() {
        return "/accounts/" + accountId + "/billing";
    }

    /** Where Stop leads: the owner's infrastructures for R10, the user's page in the console for R21. */
    public String afterStopPath() {
        return support() ? "/operator/users/" + ownerId : "/accounts/" + accountId + "/infrastructures";
    }

    /** The separate confirmation an operator gives before changing anything (R21). */
    public String changesPath() {
        return "/operator/acting/changes";
    }
}
