package io.dap.portal.pages;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.dap.portal.access.CurrentUser;
import io.dap.portal.invitation.Invitation;
import io.dap.portal.notification.Notification;
import io.dap.portal.web.TimeSource;

/**
 * The counts of the layout's header ({@code inject:header}), read together once per page, in one
 * statement. They live here, at the edge, so that the request's user (access) does not reach up
 * into the features it counts.
 */
@Named("header")
@RequestScoped
public class PageHeader {

    /** A badge counts this far, then shows "99+": a person with thousands unread costs what one with a hundred does. */
    public static final int BADGE_LIMIT = 100;

    @Inject
    CurrentUser currentUser;

    @Inject
    TimeSource time;

    private long[] badges;

    private long[] badges() {
        if (badges == null) {
            badges = new long[2];
            if (currentUser.signedIn()) {
                // Plain SQL: Hibernate's HQL parser needs tens of megabytes to learn a query nested this
                // deep, and every page runs this one, so the first pages after a start, arriving
                // together, each paid that at once. The second count is Invitation.WAITING, in SQL.
                Object[] counts = (Object[]) Notification.getEntityManager().createNativeQuery("select"
                        + " (select count(*) from (select n.id from notification n where n.user_id = ?1"
                        + " and n.read_at is null order by n.user_id fetch first " + BADGE_LIMIT + " rows only) unread),"
                        + " (select count(*) from (select i.id from invitation i join access_grant g on g.id = i.grant_id"
                        + " where g.grantee_id = ?1 and g.status = 'PENDING' and " + Invitation.usableSql("i", "?2")
                        + " order by i.id fetch first " + BADGE_LIMIT
                        + " rows only) waiting)")
                        .setParameter(1, currentUser.id()).setParameter(2, time.now()).getSingleResult();
                badges[0] = ((Number) counts[0]).longValue();
                badges[1] = ((Number) counts[1]).longValue();
            }
        }
        return badges;
    }

    /** Unread in-app notifications (invitations received, answers to invitations sent …). */
    public long unreadNotifications() {
        return badges()[0];
    }

    /** Invitations waiting for this user's answer, for the header badge. */
    public long pendingInvitations() {
        return badges()[1];
    }

    /** A badge's text: the count, or "99+" past {@link #BADGE_LIMIT}. */
    public static String badge(long count) {
        return count >= BADGE_LIMIT ? (BADGE_LIMIT - 1) + "+" : String.valueOf(count);
    }

    public String unreadNotificationsBadge() {
        return badge(unreadNotifications());
    }

    public String pendingInvitationsBadge() {
        return badge(pendingInvitations());
    }
}
