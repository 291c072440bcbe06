package io.dap.portal.sharing;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;

/** What a sharing page manages: the whole account, or one infrastructure of it. */
public record Shared(Long accountId, Long infrastructureId) {

    public static Shared account(Long accountId) {
        return new Shared(accountId, null);
    }

    public Role.Scope scope() {
        return infrastructureId == null ? Role.Scope.ACCOUNT : Role.Scope.INFRASTRUCTURE;
    }

    boolean covers(Grant grant) {
        return grant.account.id.equals(accountId) && grant.scope == scope()
                && (infrastructureId == null || grant.infrastructure.id.equals(infrastructureId));
    }
}
