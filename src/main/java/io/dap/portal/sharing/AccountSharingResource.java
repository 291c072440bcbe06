package io.dap.portal.sharing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Ids;
import io.dap.portal.access.Permissions;
import io.dap.portal.access.Role;
import io.dap.portal.user.EmailAddress;
import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Redirects;
import io.dap.portal.web.TimeSource;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Account Settings › Account sharing: the owner's account delegates (R3, R5, R8, R9). */
@Path("/accounts/{accountId}/sharing")
@Produces(MediaType.TEXT_HTML)
public class AccountSharingResource {

    public record RoleOption(String name, String label, String description) {
    }

    static final List<RoleOption> ACCOUNT_ROLES = List.of(
            new RoleOption(Role.ACCOUNT_ADMINISTRATOR.name(), "Administrator",
                    "every right over all current and future infrastructures; no billing, no delegates"),
            new RoleOption(Role.ACCOUNT_BILLING.name(), "Billing",
                    "billing information, invoices and the utilization report; no infrastructure changes"),
            new RoleOption(Role.ACCOUNT_READ_ONLY.name(), "Read-only", "sees everything, changes nothing"));

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance sharing(AccountAccess access, Page<GrantRow> grants, List<RoleOption> roles,
                String inviteAction, String selectedRole, String pagerBase);

        static native TemplateInstance revoke(AccountAccess access, GrantRow grant,
                List<SharingService.KeyOnDrive> keys, boolean carriesKeys);
    }

    @Inject
    AccessPolicy policy;

    @Inject
    SharingService sharing;

    @Inject
    PortalConfig config;

    @Inject
    TimeSource time;

    @Inject
    Flash flash;

    @GET
    public TemplateInstance page(@PathParam("accountId") String accountId,
            @RestQuery @DefaultValue("1") String page) {
        AccountAccess access = owner(accountId);
        String base = base(access);
        String role = flash.value("role");
        return Templates.sharing(access, sharing.page(access.accountId(), Role.Scope.ACCOUNT, null, base,
                Page.parseNumber(page), config.pageSize()), ACCOUNT_ROLES, base + "/invite",
                role.isEmpty() ? Role.ACCOUNT_READ_ONLY.name() : role, base + "?");
    }

    @POST
    @Path("invite")
    public Response invite(@PathParam("accountId") String accountId, @RestForm String email, @RestForm String role,
            @RestForm String label, @RestForm String until) {
        AccountAccess access = owner(accountId);
        String normalised = EmailAddress.normalise(email);
        String cleanLabel = label == null ? "" : label.strip();
        String cleanUntil = until == null ? "" : until.strip();
        FormErrors errors = new FormErrors();
        String emailProblem = EmailAddress.problem(normalised);
        if (emailProblem != null) {
            errors.add("email", emailProblem);
        }
        Role chosen = accountRole(role);
        if (chosen == null) {
            errors.add("role", "Choose a role.");
        }
        if (cleanLabel.length() > 100) {
            errors.add("label", "Use at most 100 characters.");
        }
        Instant endsAt = endOfDay(cleanUntil, errors);
        Map<String, String> values = Map.of("email", normalised, "role", role == null ? "" : role, "label",
                cleanLabel, "until", cleanUntil);
        String back = base(access);
        if (!errors.isEmpty()) {
            flash.form(errors, values);
            return Redirects.seeOther(back);
        }
        SharingService.InviteResult result;
        try {
            result = sharing.invite(access, Role.Scope.ACCOUNT, null, normalised, chosen,
                    cleanLabel.isEmpty() ? null : cleanLabel, endsAt);
        } catch (PersistenceException e) {
            result = new SharingService.Refused("email", "That did not go through; try again.");
        }
        if (result instanceof SharingService.Refused refused) {
            flash.form(new FormErrors().add(refused.field(), refused.message()), values);
            return Redirects.seeOther(back);
        }
        flash.success("Invitation sent to " + normalised + ". It stays pending until accepted.");
        return Redirects.seeOther(back);
    }

    @POST
    @Path("{grantId}/resend")
    public Response resend(@PathParam("accountId") String accountId, @PathParam("grantId") String grantId) {
        AccountAccess access = owner(accountId);
        if (!sharing.resend(access, Ids.parse(grantId))) {
            flash.error("Only a pending invitation can be sent again.");
        } else {
            flash.success("A new invitation link was sent; the previous one no longer works.");
        }
        return Redirects.seeOther(base(access));
    }

    @POST
    @Path("{grantId}/cancel")
    public Response cancel(@PathParam("accountId") String accountId, @PathParam("grantId") String grantId) {
        AccountAccess access = owner(accountId);
        if (sharing.cancel(access, Ids.parse(grantId))) {
            flash.success("Invitation cancelled; its link no longer works.");
        } else {
            flash.error("That invitation is no longer pending.");
        }
        return Redirects.seeOther(base(access));
    }

    @POST
    @Path("{grantId}/role")
    public Response changeRole(@PathParam("accountId") String accountId, @PathParam("grantId") String grantId,
            @RestForm String role) {
        AccountAccess access = owner(accountId);
        Role chosen = accountRole(role);
        if (chosen == null) {
            flash.error("Choose a role.");
        } else if (sharing.changeRole(access, Ids.parse(grantId), chosen)) {
            flash.success("Role changed to " + chosen.label() + ". It applies from the next request.");
        } else {
            flash.error("That delegate no longer has access; nothing changed.");
        }
        return Redirects.seeOther(base(access));
    }

    @GET
    @Path("{grantId}/revoke")
    public TemplateInstance confirmRevoke(@PathParam("accountId") String accountId,
            @PathParam("grantId") String grantId) {
        AccountAccess access = owner(accountId);
        long id = Ids.parse(grantId);
        GrantRow grant = sharing.find(access.accountId(), id, base(access)).filter(GrantRow::live)
                .orElseThrow(NotFoundException::new);
        boolean carriesKeys = Permissions.carriesSshKeys(grant.role());
        return Templates.revoke(access, grant, carriesKeys ? sharing.keysOnDrives(access.accountId(), id) : List.of(),
                carriesKeys);
    }

    @POST
    @Path("{grantId}/revoke")
    public Response revoke(@PathParam("accountId") String accountId, @PathParam("grantId") String grantId) {
        AccountAccess access = owner(accountId);
        if (sharing.revoke(access, Ids.parse(grantId))) {
            flash.success("Access revoked. It ends with the delegate's next request.");
        } else {
            flash.error("That delegate no longer had access; nothing changed.");
        }
        return Redirects.seeOther(base(access));
    }

    private AccountAccess owner(String accountId) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.requireManageAccountSharing(access);
        return access;
    }

    private static String base(AccountAccess access) {
        return access.path() + "/sharing";
    }

    static Role accountRole(String raw) {
        return ACCOUNT_ROLES.stream().filter(r -> r.name().equals(raw)).findFirst().map(r -> Role.valueOf(r.name()))
                .orElse(null);
    }

    /** "Access until" a date, inclusive: the grant ends at the following midnight UTC. */
    private Instant endOfDay(String raw, FormErrors errors) {
        if (raw.isEmpty()) {
            return null;
        }
        try {
            Instant end = LocalDate.parse(raw).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            if (!end.isAfter(time.now())) {
                errors.add("until", "Choose today or a later date.");
                return null;
            }
            return end;
        } catch (DateTimeParseException e) {
            errors.add("until", "Enter a date like 2026-12-31.");
            return null;
        }
    }
}
