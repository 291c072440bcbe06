package io.dap.portal.access;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one person may do in one account: the union of every live grant they hold there (R16).
 * An account-wide role (the owner's, or an account grant's) applies to every infrastructure; an
 * infrastructure grant adds its role's rights on that one infrastructure. Nothing narrows: a
 * second grant can only add. Built from grants read on this request, never cached (R9).
 */
public final class Rights {

    private final Set<Role> accountRoles;
    private final Map<Long, Set<Role>> infrastructureRoles;

    private Rights(Set<Role> accountRoles, Map<Long, Set<Role>> infrastructureRoles) {
        this.accountRoles = accountRoles;
        this.infrastructureRoles = infrastructureRoles;
    }

    public static Rights none() {
        return new Rights(EnumSet.noneOf(Role.class), new TreeMap<>());
    }

    public static Rights owner() {
        return none().with(Role.OWNER, null);
    }

    /** These rights plus one more grant: {@code infrastructureId} is null for an account-wide role. */
    public Rights with(Role role, Long infrastructureId) {
        if ((infrastructureId == null) != (role.scope() == Role.Scope.ACCOUNT)) {
            throw new IllegalArgumentException(role + " does not fit infrastructure " + infrastructureId);
        }
        Set<Role> account = EnumSet.noneOf(Role.class);
        account.addAll(accountRoles);
        Map<Long, Set<Role>> infrastructures = new TreeMap<>();
        infrastructureRoles.forEach((id, roles) -> infrastructures.put(id, EnumSet.copyOf(roles)));
        if (infrastructureId == null) {
            account.add(role);
        } else {
            infrastructures.computeIfAbsent(infrastructureId, id -> EnumSet.noneOf(Role.class)).add(role);
        }
        return new Rights(account, infrastructures);
    }

    public boolean isEmpty() {
        return accountRoles.isEmpty() && infrastructureRoles.isEmpty();
    }

    public boolean isOwner() {
        return accountRoles.contains(Role.OWNER);
    }

    /** Holds an account-wide role, so every infrastructure of the account is in view. */
    public boolean accountWide() {
        return !accountRoles.isEmpty();
    }

    /** The infrastructures shared one by one, whatever the account-wide role. */
    public Set<Long> infrastructureIds() {
        return infrastructureRoles.keySet();
    }

    /** An account-wide action. Infrastructure grants alone allow listing (their) infrastructures. */
    public boolean allows(Action action) {
        return anyAllows(accountRoles, action) || action == Action.VIEW_INFRASTRUCTURES && !infrastructureRoles.isEmpty();
    }

    /** An action on one infrastructure: the account-wide roles and that infrastructure's grants together. */
    public boolean allows(Action action, Long infrastructureId) {
        return anyAllows(accountRoles, action)
                || anyAllows(infrastructureRoles.getOrDefault(infrastructureId, Set.of()), action);
    }

    /** The infrastructure is in view: an account-wide role, or a grant on it. */
    public boolean sees(Long infrastructureId) {
        return accountWide() || infrastructureRoles.containsKey(infrastructureId);
    }

    /**
     * A grant of this role (on this infrastructure, or account-wide when null) would add nothing to
     * these rights: every action it allows is already allowed where it would apply (R17).
     */
    public boolean covers(Role role, Long infrastructureId) {
        for (Action action : Permissions.of(role)) {
            // An account grant reaches future infrastructures too: only account-wide roles can cover it.
            boolean held = infrastructureId == null ? anyAllows(accountRoles, action) : allows(action, infrastructureId);
            if (!held) {
                return false;
            }
        }
        return true;
    }

    /** What impersonating the owner may add to these rights (R10): only an account Administrator's. */
    public boolean allowsWhileImpersonating(Action action) {
        return allows(action) || accountRoles.stream().anyMatch(r -> Permissions.allowsWhileImpersonating(r, action));
    }

    /** The account-wide role to name in a header or a menu, or null for infrastructure grants only. */
    public Role accountRole() {
        // Enum order puts the owner first, then the widest account role.
        return accountRoles.stream().findFirst().orElse(null);
    }

    /**
     * Infrastructure grants that add something to the account-wide role, with their role: what a
     * menu lists next to that role (an account Administrator's infrastructure grants add nothing).
     */
    public Map<Long, Role> addedInfrastructureRoles() {
        Map<Long, Role> added = new TreeMap<>();
        infrastructureRoles.forEach((id, roles) -> {
            Rights accountOnly = new Rights(accountRoles, Map.of());
            roles.stream().filter(r -> !accountOnly.covers(r, id))
                    .max((a, b) -> Integer.compare(Permissions.of(a).size(), Permissions.of(b).size()))
                    .ifPresent(r -> added.put(id, r));
        });
        return added;
    }

    /** "Billing", "Billing + 2 infrastructures", "Infrastructure delegate". */
    public String label() {
        Role role = accountRole();
        int added = addedInfrastructureRoles().size();
        if (role == null) {
            return "Infrastructure delegate";
        }
        return added == 0 ? role.label() : role.label() + " + " + added + (added == 1 ? " infrastructure" : " infrastructures");
    }

    private static boolean anyAllows(Collection<Role> roles, Action action) {
        return roles.stream().anyMatch(r -> Permissions.allows(r, action));
    }
}
