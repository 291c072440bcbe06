package io.dap.portal.access;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;

/** The signed-in user of this request, for resources and (as {@code inject:currentUser}) templates. */
@Named("currentUser")
@RequestScoped
public class CurrentUser {

    @Inject
    SecurityIdentity identity;

    public boolean signedIn() {
        return !identity.isAnonymous() && identity.getAttribute(SessionUser.ATTRIBUTE) != null;
    }

    /** The session user; pages behind the deny-by-default policy always have one. */
    public SessionUser get() {
        SessionUser user = identity.getAttribute(SessionUser.ATTRIBUTE);
        if (user == null) {
            throw new UnauthorizedException();
        }
        return user;
    }

    public Long id() {
        return get().userId();
    }

    public String displayName() {
        return signedIn() ? get().displayName() : "";
    }

    public String sharingPath() {
        return signedIn() ? "/accounts/" + get().accountId() + "/sharing" : "/";
    }

    public String homePath() {
        return signedIn() ? get().homePath() : "/";
    }

    /** The impersonation this session is in, for the banner on every page (R10); null when none. */
    public ActiveImpersonation impersonation() {
        return signedIn() ? get().impersonation() : null;
    }

    public String email() {
        return signedIn() ? get().email() : "";
    }
}
