package io.dap.portal.access;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/** The account this request acts in, once AccessPolicy resolved it; the layout reads it for its header. */
@Named("acting")
@RequestScoped
public class ActingAccount {

    private AccountAccess access;

    void set(AccountAccess access) {
        this.access = access;
    }

    public boolean present() {
        return access != null;
    }

    public AccountAccess get() {
        return access;
    }
}
