package io.dap.portal.access;

import java.time.Instant;

/**
 * A live impersonation as the session carries it for one request: checked against its grant and
 * its end time when the session was resolved, never trusted from the client.
 */
public record ActiveImpersonation(Long id, Long accountId, Long ownerId, String ownerEmail, String ownerName,
        String reason, Instant expiresAt) {

    public String stopAction() {
        return "/impersonation/stop";
    }

    public String billingPath() {
        return "/accounts/" + accountId + "/billing";
    }
}
