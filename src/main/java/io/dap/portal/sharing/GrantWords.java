package io.dap.portal.sharing;

import java.util.List;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.user.User;

/** How grants are named in messages, mails and logs, and which roles each scope offers. */
public final class GrantWords {

    private GrantWords() {
    }

    /** Who is told about answers: the owner, and the delegate who sent the invitation if that was someone else. */
    static List<User> granters(Grant grant) {
        User owner = grant.account.owner;
        return grant.invitedBy.id.equals(owner.id) ? List.of(owner) : List.of(owner, grant.invitedBy);
    }

    /** The sharing page the grant is managed on. */
    static String sharingPath(Grant grant) {
        String account = "/accounts/" + grant.account.id;
        return grant.scope == Role.Scope.ACCOUNT ? account + "/sharing"
                : account + "/infrastructures/" + grant.infrastructure.id + "/sharing";
    }

    /** How the audit log names a grant. */
    static String target(Grant grant) {
        return "grant " + grant.id + " (" + grant.grantee.email + ")";
    }

    /** "the account of Finance" or "the infrastructure ERP of Finance". */
    public static String what(Grant grant) {
        String owner = grant.account.displayName;
        return grant.scope == Role.Scope.ACCOUNT ? "the account of " + owner
                : "the infrastructure " + grant.infrastructure.label + " of " + owner;
    }

    /** The roles a delegate can be given on a sharing page of this scope (never Owner). */
    public static List<Role> rolesFor(Role.Scope scope) {
        return scope == Role.Scope.ACCOUNT
                ? List.of(Role.ACCOUNT_ADMINISTRATOR, Role.ACCOUNT_BILLING, Role.ACCOUNT_READ_ONLY)
                : List.of(Role.INFRASTRUCTURE_ADMINISTRATOR, Role.INFRASTRUCTURE_READ_ONLY);
    }
}
