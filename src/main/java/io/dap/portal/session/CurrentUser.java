package io.dap.portal.session;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.dap.portal.impersonation.ActiveImpersonation;
import io.dap.portal.invitation.Invitation;
import io.dap.portal.notification.Notification;
import io.dap.portal.web.TimeSource;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;

/** The signed-in user of this request, for resources and (as {@code inject:currentUser}) templates. */
@Named("currentUser")
@RequestScoped
public class CurrentUser {

    @Inject
    SecurityIdentity identity;

    @Inject
    TimeSource time;

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

    /** A badge counts this far, then shows "99+": a person with thousands unread costs what one with a hundred does. */
    public static final int BADGE_LIMIT = 100;

    private long[] badges;

    /** The header's two counts, read together, once per page, in one statement. */
    private long[] badges() {
        if (badges == null) {
            badges = new long[2];
            if (signedIn()) {
                Object[] counts = Notification.getEntityManager().createQuery("select"
                        + " (select count(*) from (select n.id as id from Notification n where n.userId = :user"
                        + " and n.readAt is null order by n.userId limit " + BADGE_LIMIT + ") unread),"
                        + " (select count(*) from (select i.id as id from Invitation i where " + Invitation.WAITING
                        + " order by i.id limit " + BADGE_LIMIT + ") waiting)", Object[].class)
                        .setParameter("user", get().userId()).setParameter("now", time.now()).getSingleResult();
                badges[0] = ((Number) counts[0]).longValue();
                badges[1] = ((Number) counts[1]).longValue();
            }
        }
        return badges;
    }

    /** Unread in-app notifications (invitations received, answers to invitations sent …), for the header. */
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
