package io.dap.portal.pages.account;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.dap.portal.access.CurrentUser;
import io.dap.portal.access.SessionUser;
import io.dap.portal.account.Account;
import io.dap.portal.account.AccountColour;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.user.DisplayNames;
import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Settings › Account: the name and colour delegates see when they act in the user's own account (R12). */
@Path("/settings/account")
@Produces(MediaType.TEXT_HTML)
public class AccountSettingsResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance account(String name, AccountColour colour, List<AccountColour> colours);
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    Flash flash;

    @Inject
    AuditLog audit;

    @GET
    @Transactional
    public TemplateInstance page() {
        Account account = Account.findById(currentUser.get().accountId());
        String refill = flash.value("name");
        return Templates.account(refill.isEmpty() ? account.displayName : refill, AccountColour.of(account.colour),
                List.of(AccountColour.values()));
    }

    @POST
    @Transactional
    public Response save(@RestForm String name, @RestForm String colour) {
        String clean = DisplayNames.clean(name);
        FormErrors errors = new FormErrors();
        String problem = DisplayNames.problem(clean);
        if (problem != null) {
            errors.add("name", problem.replace("the name other people will see", "the account's name"));
        }
        AccountColour chosen = List.of(AccountColour.values()).stream().filter(c -> c.name().equals(colour))
                .findFirst().orElse(null);
        if (chosen == null) {
            errors.add("colour", "Choose a colour.");
        }
        if (!errors.isEmpty()) {
            flash.form(errors, Map.of("name", clean));
            return Redirects.seeOther("/settings/account");
        }
        Account account = Account.findById(currentUser.get().accountId());
        account.displayName = clean;
        account.colour = chosen.hex();
        SessionUser me = currentUser.get();
        audit.inAccount(account.id, me.userId(), me.email(), AuditAction.ACCOUNT_SETTINGS_CHANGED, Outcome.SUCCESS,
                "account " + account.id, "name " + clean + ", colour " + chosen.name().toLowerCase(Locale.ROOT));
        flash.success("Account saved. Delegates see the new name and colour on their next page.");
        return Redirects.seeOther("/settings/account");
    }
}
