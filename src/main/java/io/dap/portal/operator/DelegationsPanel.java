package io.dap.portal.operator;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.transaction.Transactional;

import io.dap.portal.access.ActingAccount;
import io.dap.portal.access.Operators;
import io.dap.portal.account.Account;
import io.dap.portal.access.CurrentUser;
import io.dap.portal.sharing.WhoCanAct;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.vertx.core.http.HttpServerRequest;

/**
 * R21: while an operator acts as a user, every page also shows the delegations of the account
 * being viewed (the user's own account on pages outside any account) — who can act there and
 * through what, pending invitations included — whatever the user themself may see. The layout
 * reads it as {@code inject:operatorPanel}; it costs nothing on anyone else's pages. (It also
 * says whether the user menu links to the console: for operators only.)
 */
@Named("operatorPanel")
@RequestScoped
public class DelegationsPanel {

    /** The panel's own page parameter, so it pages without disturbing the page beside it. */
    static final String PARAMETER = "delegations";

    @Inject
    CurrentUser currentUser;

    @Inject
    ActingAccount acting;

    @Inject
    WhoCanAct who;

    @Inject
    PortalConfig config;

    @Inject
    HttpServerRequest request;

    private Page<WhoCanAct.Person> people;
    private String accountName;

    @Inject
    Operators operators;

    /** The user menu's link to the console: for operators only, and not while acting as someone. */
    public boolean consoleLinkShown() {
        return currentUser.signedIn() && !currentUser.get().supportSession()
                && operators.isOperator(currentUser.get().email());
    }

    public boolean shown() {
        return currentUser.signedIn() && currentUser.get().supportSession();
    }

    public Long accountId() {
        return acting.present() ? acting.get().accountId() : currentUser.get().impersonation().accountId();
    }

    @Transactional
    public String accountName() {
        if (accountName == null) {
            accountName = acting.present() ? acting.get().accountName()
                    : Account.<Account>findById(accountId()).displayName;
        }
        return accountName;
    }

    public String consolePath() {
        return "/operator/accounts/" + accountId();
    }

    public Page<WhoCanAct.Person> people() {
        if (people == null) {
            people = who.page(accountId(), consolePath(), Page.parseNumber(request.getParam(PARAMETER)),
                    config.pageSize());
        }
        return people;
    }

    public String pagerBase() {
        return request.path() + "?";
    }

    public String parameter() {
        return PARAMETER;
    }
}
