package io.dap.portal.pages;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.dap.portal.access.CurrentUser;
import io.dap.portal.invitation.Invitation;
import io.dap.portal.notification.Notification;
import io.dap.portal.web.TimeSource;

/**
 * The counts of the layout's header ({@code inject:header}), read once per page. They live here,
 * at the edge, so that the request's user (access) does not reach up into the features it counts.
 */
@Named("header")
@RequestScoped
public class PageHeader {

    @Inject
    CurrentUser currentUser;

    @Inject
    TimeSource time;

    private Long unread;

    private Long pendingInvitations;

    /** Unread in-app notifications (invitations received, answers to invitations sent …). */
    public long unreadNotifications() {
        if (unread == null) {
            unread = currentUser.signedIn() ? Notification.unreadCount(currentUser.id()) : 0L;
        }
        return unread;
    }

    /** Invitations waiting for this user's answer, for the header badge. */
    public long pendingInvitations() {
        if (pendingInvitations == null) {
            pendingInvitations = currentUser.signedIn() ? Invitation.waitingFor(currentUser.id(), time.now()) : 0L;
        }
        return pendingInvitations;
    }
}
