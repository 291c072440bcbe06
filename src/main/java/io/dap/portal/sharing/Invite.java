package io.dap.portal.sharing;

import java.time.Instant;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.dap.portal.access.Role;
import io.dap.portal.user.EmailAddress;
import io.dap.portal.web.SingleLineText;

/**
 * The command to invite one address: what access, for whom, under which label, until when. The
 * forms (pages and API) read and explain bad input first; {@link GrantLifecycle#invite} checks the
 * command again with Bean Validation, so no caller can write a grant the forms would refuse.
 */
public record Invite(@NotNull Role.Scope scope, Long infrastructureId,
        @NotBlank @Size(max = EmailAddress.MAX_LENGTH) String email, @NotNull Role role,
        @Size(max = InviteForm.MAX_LABEL) String label, Instant endsAt) {

    /** An account role for the account, an infrastructure role for one named infrastructure. */
    @AssertTrue(message = "the role must fit the scope, and an infrastructure grant must name its infrastructure")
    public boolean isRoleOfItsScope() {
        return scope == null || role == null || role.scope() == scope && role != Role.OWNER
                && (scope == Role.Scope.ACCOUNT) == (infrastructureId == null);
    }

    /** The portal's own rule for an address, the one the forms apply. */
    @AssertTrue(message = "the address must be an email address")
    public boolean isEmailAddress() {
        return email == null || EmailAddress.problem(email) == null;
    }

    /** A label is one line of text, as the forms keep it (no line breaks or other control characters). */
    @AssertTrue(message = "the label must be a single line")
    public boolean isLabelOneLine() {
        return label == null || SingleLineText.of(label, InviteForm.MAX_LABEL).valid();
    }
}
