package io.dap.portal.sharing;

import java.time.Instant;

import io.dap.portal.access.Grant;
import io.dap.portal.invitation.Invitation;
import io.dap.portal.user.User;

/** What the invitation page shows: who invites whom to what, with which role, until when. */
public record InvitationView(Long grantId, String inviterName, String inviterEmail, String what, String roleLabel,
        String inviteeEmail, Long inviteeId, boolean inviteeActivated, boolean inviteeHasPassword,
        Instant expiresAt, Instant endsAt) {

    static InvitationView of(Invitation invitation) {
        Grant grant = invitation.grant;
        User invitee = grant.grantee;
        return new InvitationView(grant.id, grant.invitedBy.displayName, grant.invitedBy.email,
                GrantWords.what(grant), grant.role.label(), invitee.email, invitee.id, invitee.isActive(),
                invitee.passwordHash != null, invitation.expiresAt, grant.endsAt);
    }
}
