package io.dap.portal.sharing;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.web.Page;
import io.dap.portal.web.TimeSource;
import io.quarkus.hibernate.orm.panache.PanacheQuery;

/**
 * What other accounts gave a user, as the user sees it (Shared with me, the dashboard): the
 * invitations waiting for an answer and the access held now. Never the granter's label. Two
 * statements per page whatever the number of grants.
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

    private static final String FETCH = "select g from Grant g join fetch g.account a join fetch a.owner"
            + " join fetch g.invitedBy left join fetch g.infrastructure";

    @Inject
    TimeSource time;

    /** Pending grants whose latest link still works: the invitations the user can answer now, newest first. */
    @Transactional
    public Page<Received> waiting(Long userId, int page, int size) {
        PanacheQuery<Grant> query = Grant.find(FETCH + " where g.grantee.id = ?1 and g.status = ?2 and exists"
                + " (select 1 from Invitation i where i.grant = g and i.usedAt is null and i.supersededAt is null"
                + " and i.expiresAt > ?3) order by g.invitedAt desc, g.id desc", userId, Grant.Status.PENDING,
                time.now());
        return rows(query, page, size);
    }

    /** Access held now (accepted, not past its end date), newest first. */
    @Transactional
    public Page<Received> held(Long userId, int page, int size) {
        PanacheQuery<Grant> query = Grant.find(FETCH + " where g.grantee.id = ?1 and g.status = ?2"
                + " and (g.endsAt is null or g.endsAt > ?3) order by g.invitedAt desc, g.id desc", userId,
                Grant.Status.ACCEPTED, time.now());
        return rows(query, page, size);
    }

    private static Page<Received> rows(PanacheQuery<Grant> query, int page, int size) {
        Page<Grant> grants = Page.of(query, page, size);
        List<Received> items = grants.items().stream().map(ReceivedAccess::received).toList();
        return new Page<>(items, grants.number(), grants.size(), grants.total());
    }

    private static Received received(Grant grant) {
        String path = "/accounts/" + grant.account.id + (grant.scope == Role.Scope.ACCOUNT ? "/infrastructures"
                : "/infrastructures/" + grant.infrastructure.id);
        return new Received(grant.id, SharingService.what(grant), grant.role.label(), grant.account.owner.displayName,
                grant.account.owner.email, grant.invitedBy.displayName, grant.invitedAt, grant.endsAt, path);
    }
}
