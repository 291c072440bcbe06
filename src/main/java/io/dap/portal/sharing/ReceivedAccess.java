package io.dap.portal.sharing;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.invitation.Invitation;
import io.dap.portal.web.Page;
import io.dap.portal.web.TimeSource;
import io.quarkus.panache.common.Parameters;

/**
 * What other accounts gave a user, as the user sees it (Shared with me, the dashboard): the
 * invitations waiting for an answer and the access held now. Never the granter's label. One
 * statement per list whatever the number of grants: a page and one row more, nothing counted.
 */
@ApplicationScoped
public class ReceivedAccess {

    public record Received(Long id, String what, String roleLabel, String ownerName, String ownerEmail,
            String invitedByName, Instant at, Instant endsAt, String accountPath) {

        public String acceptAction() {
            return "/settings/shared-with-me/" + id + "/accept";
        }

        public String declineAction() {
            return "/settings/shared-with-me/" + id + "/decline";
        }

        public String leaveAction() {
            return "/settings/shared-with-me/" + id + "/leave";
        }
    }

    @Inject
    TimeSource time;

    /**
     * Invitations waiting for the user's answer (usable, of a pending grant), newest first, read
     * from the invitations in id order and not counted.
     */
    @Transactional
    public Page<Received> waiting(Long userId, int requestedPage, int size) {
        int number = Math.max(1, requestedPage);
        // The page's ids first, from the invitation and its grant alone: joined to the four tables the
        // page shows, H2 reads the person's grants through the index on the grantee only and filters
        // their status after, every grant they hold (a thousand for some people) for the few waiting.
        List<Grant> grants = Invitation.<Invitation>find("select w from Invitation w join fetch w.grant g"
                + " join fetch g.account a join fetch a.owner join fetch g.invitedBy left join fetch g.infrastructure"
                + " where w.id in (select i.id from Invitation i where " + Invitation.WAITING + " order by i.id desc"
                + " offset " + (number - 1) * size + " rows fetch first " + (size + 1) + " rows only) order by w.id desc",
                Parameters.with("user", userId).and("now", time.now()))
                .list().stream().map(i -> i.grant).toList();
        return slice(grants, number, size);
    }

    /**
     * Access held now (accepted, not past its end date), in the order of the accounts it is in (the
     * grantee's index order), not counted.
     */
    @Transactional
    public Page<Received> held(Long userId, int requestedPage, int size) {
        int number = Math.max(1, requestedPage);
        // The page's grant ids from the grantee's index alone, then those rows with what they show: read
        // together, H2 would join every grant the user holds before sorting (a thousand for some people).
        List<Grant> grants = Grant.<Grant>find("select h from Grant h join fetch h.account a join fetch a.owner"
                + " join fetch h.invitedBy left join fetch h.infrastructure where h.id in (select g.id from Grant g"
                + " where " + Grant.ACTIVE_FOR_USER + " order by g.grantee.id, g.status, g.account.id"
                + " offset " + (number - 1) * size + " rows fetch first " + (size + 1) + " rows only)"
                + " order by h.grantee.id, h.status, h.account.id",
                Parameters.with("user", userId).and("now", time.now()))
                .list();
        return slice(grants, number, size);
    }

    /** The query asked for one row more than the page: whether it came back says if a next page exists. */
    private static Page<Received> slice(List<Grant> grants, int number, int size) {
        return Page.slice(grants.stream().limit(size).map(ReceivedAccess::received).toList(), number, size,
                grants.size() > size);
    }

    private static Received received(Grant grant) {
        String path = "/accounts/" + grant.account.id + (grant.scope == Role.Scope.ACCOUNT ? "/infrastructures"
                : "/infrastructures/" + grant.infrastructure.id);
        return new Received(grant.id, GrantWords.what(grant), grant.role.label(), grant.account.owner.displayName,
                grant.account.owner.email, grant.invitedBy.displayName, grant.invitedAt, grant.endsAt, path);
    }
}
