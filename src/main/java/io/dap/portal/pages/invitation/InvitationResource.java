package io.dap.portal.pages.invitation;

import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.CurrentUser;
import io.dap.portal.credentials.UserService;
import io.dap.portal.session.SignInFlow;
import io.dap.portal.sharing.InvitationView;
import io.dap.portal.sharing.InvitationAnswers;
import io.dap.portal.user.DisplayNames;
import io.dap.portal.user.PasswordPolicy;
import io.dap.portal.user.User;
import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.Redirects;
import io.dap.portal.web.Tokens;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * {@code /invitations/{token}}: the GET shows who invites whom to what and changes nothing; the
 * POSTs accept or decline (signed in as the invited person only), or activate a new account.
 * Every token that is not usable gets the same neutral page.
 */
@Path("/invitations/{token}")
@Produces(MediaType.TEXT_HTML)
public class InvitationResource {

    public record Links(String accept, String decline, String activate, String signIn) {

        static Links of(String token) {
            String base = "/invitations/" + token;
            return new Links(base + "/accept", base + "/decline", base + "/activate",
                    "/login?next=%2Finvitations%2F" + token);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance invitation(InvitationView invitation, Links links, boolean signedIn,
                boolean rightPerson, String signedInEmail);

        static native TemplateInstance notValid();
    }

    @Inject
    InvitationAnswers answers;

    @Inject
    UserService users;

    @Inject
    PasswordPolicy passwords;

    @Inject
    CurrentUser currentUser;

    @Inject
    AccessPolicy policy;

    @Inject
    SignInFlow signIn;

    @Inject
    Flash flash;

    @GET
    public Response show(@PathParam("token") String token) {
        Optional<InvitationView> invitation = answers.view(token);
        if (invitation.isEmpty()) {
            return notValid();
        }
        boolean signedIn = currentUser.signedIn();
        boolean rightPerson = signedIn && currentUser.id().equals(invitation.get().inviteeId());
        return Response.ok(Templates.invitation(invitation.get(), Links.of(token), signedIn, rightPerson,
                signedIn ? currentUser.email() : "")).build();
    }

    @POST
    @Path("accept")
    public Response accept(@PathParam("token") String token) {
        return respond(token, true);
    }

    @POST
    @Path("decline")
    public Response decline(@PathParam("token") String token) {
        return respond(token, false);
    }

    /**
     * The invited address has no active account: the emailed link proves the address, so whoever
     * holds it chooses the name and the password now (R18), and is signed in to answer.
     */
    @POST
    @Path("activate")
    public Response activate(@PathParam("token") String token, @RestForm String displayName,
            @RestForm String password) {
        Optional<InvitationView> invitation = answers.view(token);
        if (invitation.isEmpty() || invitation.get().inviteeActivated()) {
            return notValid();
        }
        InvitationView view = invitation.get();
        String name = displayName == null ? "" : displayName.strip();
        FormErrors errors = new FormErrors();
        String nameProblem = DisplayNames.problem(name);
        if (nameProblem != null) {
            errors.add("displayName", nameProblem);
        }
        String passwordProblem = passwords.problem(password, view.inviteeEmail());
        if (passwordProblem != null) {
            errors.add("password", passwordProblem);
        }
        if (!errors.isEmpty()) {
            flash.form(errors, Map.of("displayName", name));
            return Redirects.seeOther("/invitations/" + token);
        }
        Optional<User> activated = users.activateInvited(view.inviteeId(), name, password);
        if (activated.isEmpty()) {
            return notValid();
        }
        flash.success("Your account is active and you are signed in. Answer the invitation below.");
        return signIn.complete(activated.get(), "/invitations/" + token, "after activation through an invitation");
    }

    private Response respond(String token, boolean accept) {
        // Anything that is not shaped like one of our tokens is as unknown as an expired one, and never
        // travels on into a redirect.
        if (!Tokens.looksLikeToken(token)) {
            return notValid();
        }
        if (!currentUser.signedIn()) {
            return Redirects.seeOther("/login?next=%2Finvitations%2F" + token);
        }
        InvitationAnswers.Response result;
        try {
            result = accept ? answers.accept(token, policy.actor()) : answers.decline(token, policy.actor());
        } catch (InvitationAnswers.ConcurrentChange | PersistenceException e) {
            result = InvitationAnswers.Response.NOT_VALID;
        }
        switch (result) {
            case WRONG_PERSON -> {
                flash.error("This invitation is for another address. Sign out, then sign in as the invited person.");
                return Redirects.seeOther("/invitations/" + token);
            }
            case NOT_VALID -> {
                return notValid();
            }
            default -> {
                flash.success(accept ? "Invitation accepted. The shared account is listed under Shared with me."
                        : "Invitation declined.");
                return Redirects.seeOther("/settings/shared-with-me");
            }
        }
    }

    private static Response notValid() {
        return Response.status(404).entity(Templates.notValid()).build();
    }
}
