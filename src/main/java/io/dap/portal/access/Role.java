package io.dap.portal.access;

/** What someone is to an account or to one infrastructure of it (DESIGN R3, R4, R6). */
public enum Role {
    OWNER("Owner", Scope.ACCOUNT),
    ACCOUNT_ADMINISTRATOR("Administrator", Scope.ACCOUNT),
    ACCOUNT_BILLING("Billing", Scope.ACCOUNT),
    ACCOUNT_READ_ONLY("Read-only", Scope.ACCOUNT),
    INFRASTRUCTURE_ADMINISTRATOR("Administrator", Scope.INFRASTRUCTURE),
    INFRASTRUCTURE_READ_ONLY("Read-only", Scope.INFRASTRUCTURE);

    public enum Scope {
        ACCOUNT,
        INFRASTRUCTURE
    }

    private final String label;
    private final Scope scope;

    Role(String label, Scope scope) {
        this.label = label;
        this.scope = scope;
    }

    public String label() {
        return label;
    }

    public Scope scope() {
        return scope;
    }
}
