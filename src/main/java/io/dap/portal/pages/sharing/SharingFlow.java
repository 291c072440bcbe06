package io.dap.portal.pages.sharing;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;

import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Ids;
import io.dap.portal.access.Role;
import io.dap.portal.limit.LimitedAction;
import io.dap.portal.limit.Limits;
import io.dap.portal.sharing.DriveKeyCleanup;
import io.dap.portal.sharing.GrantLifecycle;
import io.dap.portal.sharing.GrantRow;
import io.dap.portal.sharing.GrantRows;
import io.dap.portal.sharing.GrantWords;
import io.dap.portal.sharing.InviteForm;
import io.dap.portal.sharing.Shared;
import io.dap.portal.web.Flash;
import io.dap.portal.web.Redirects;
import io.dap.portal.web.TimeSource;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * What both sharing pages do with their grants — invite, resend, cancel, change a role, revoke
 * one grant or an access group, take former keys off drives — written once. The two resources
 * only check who may act on their page (R3, R5) and name the {@link Place}; every answer leads
 * back to that page with a message.
 */
@ApplicationScoped
public class SharingFlow {

    /**
     * One sharing page: the account's (Account sharing) or one infrastructure's (its Sharing tab).
     *
     * @param path the page's path, where every action leads back
     * @param invitedTo how an invitation names what it gives: "to your account", "to Web"
     * @param where how the revoke confirmation names the place: "in your account", "Web (this infrastructure)"
     * @param heading the revoke confirmation's question, after the person: "", " from Web"
     */
    public record Place(AccountAccess access, Shared shared, String path, String invitedTo, String where,
            String heading) {

        List<Role> roles() {
            return GrantWords.rolesFor(shared.scope());
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance revoke(AccountAccess access, Place place, GrantLifecycle.RevokePlan plan);

        static native TemplateInstance revokeGroup(AccountAccess access, String label, List<GrantRow> grants,
                String action, String back);
    }

    @Inject
    GrantLifecycle lifecycle;

    @Inject
    GrantRows grantRows;

    @Inject
    DriveKeyCleanup keyCleanup;

    @Inject
    GroupInvite groupInvite;

    @Inject
    Limits limits;

    @Inject
    TimeSource time;

    @Inject
    Flash flash;

    public Response invite(Place place, String email, String role, String label, String until) {
        InviteForm form = InviteForm.read(email, role, label, until, place.roles(), time.now());
        if (!form.errors().isEmpty()) {
            flash.form(form.errors(), form.values());
        } else {
            groupInvite.invite(place.access(), place.shared().scope(), place.shared().infrastructureId(), form,
                    place.invitedTo());
        }
        return back(place);
    }

    public Response resend(Place place, String grantId) {
        long id = Ids.parse(grantId);
        grantRows.find(place.shared(), id, place.path())
                .ifPresent(grant -> limits.check(LimitedAction.INVITATION_RESEND, grant.email()));
        if (lifecycle.resend(place.access(), place.shared(), id)) {
            flash.success("A new invitation link was sent; the previous one no longer works.");
        } else {
            flash.error("Only a pending invitation can be sent again.");
        }
        return back(place);
    }

    public Response cancel(Place place, String grantId) {
        if (lifecycle.cancel(place.access(), place.shared(), Ids.parse(grantId))) {
            flash.success("Invitation cancelled; its link no longer works.");
        } else {
            flash.error("That invitation is no longer pending.");
        }
        return back(place);
    }

    public Response changeRole(Place place, String grantId, String role) {
        Role chosen = place.roles().stream().filter(r -> r.name().equals(role)).findFirst().orElse(null);
        if (chosen == null) {
            flash.error("Nothing changed: choose one of the roles offered.");
        } else if (lifecycle.changeRole(place.access(), place.shared(), Ids.parse(grantId), chosen)) {
            flash.success("Role changed to " + chosen.label() + ". It applies from the next request.");
        } else {
            flash.error("That delegate no longer has access; nothing changed.");
        }
        return back(place);
    }

    /** What revoking takes with it (R17), for confirmation; 404 for a grant the page does not manage. */
    public TemplateInstance confirmRevoke(Place place, String grantId) {
        return Templates.revoke(place.access(), place, lifecycle.planRevoke(place.access(), place.shared(),
                Ids.parse(grantId), place.path()).orElseThrow(NotFoundException::new));
    }

    public Response revoke(Place place, String grantId, String removeKeys, String endEvery, String endGiven) {
        GrantLifecycle.Revoked revoked = lifecycle.revoke(place.access(), place.shared(), Ids.parse(grantId),
                "on".equals(removeKeys), "on".equals(endEvery), "on".equals(endGiven));
        RevokeMessages.flash(flash, revoked, "on".equals(removeKeys));
        return back(place);
    }

    /** "Revoke all with this label": the access group's open grants, listed for confirmation; 404 when none. */
    public TemplateInstance confirmRevokeGroup(Place place, String label) {
        String group = label == null ? null : LabelFilter.chosen(grantRows.labels(place.shared()), label);
        List<GrantRow> grants = group == null ? List.of() : grantRows.labelled(place.shared(), group, place.path());
        if (grants.isEmpty()) {
            throw new NotFoundException();
        }
        return Templates.revokeGroup(place.access(), group, grants, place.path() + "/groups/revoke", place.path());
    }

    public Response revokeGroup(Place place, String label) {
        RevokeMessages.flash(flash, label == null ? new GrantLifecycle.Revoked(0, 0)
                : lifecycle.revokeLabelled(place.access(), place.shared(), label), false);
        return back(place);
    }

    /** The standing warning's action: take a former delegate's keys off the drives (R11). */
    public Response removeFormerKeys(Place place, String userId) {
        int removed = keyCleanup.removeFormerKeys(place.access(), place.shared(), Ids.parse(userId));
        flash.success(removed == 0 ? "No key was left to remove."
                : "Removed " + removed + (removed == 1 ? " key from its drive." : " keys from their drives."));
        return back(place);
    }

    private static Response back(Place place) {
        return Redirects.seeOther(place.path());
    }
}
