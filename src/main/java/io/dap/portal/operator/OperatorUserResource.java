package io.dap.portal.operator;

import java.util.Map;

import jakarta.inject.Inject;
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

import io.dap.portal.access.Actor;
import io.dap.portal.access.Ids;
import io.dap.portal.apitoken.ApiTokenService;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.limit.LimitedAction;
import io.dap.portal.limit.Limits;
import io.dap.portal.access.CurrentUser;
import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Redirects;
import io.dap.portal.web.Times;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * A user in the operator console (R21): status, dates, second factor, sessions, API tokens, SSH
 * keys, grants received and given, pending invitations, security log; disable and enable, end
 * sessions, revoke tokens, resend the activation, cancel an invitation, act as them. Every change
 * takes a reason, which the user reads.
 */
@Path("/operator/users/{userId}")
@Produces(MediaType.TEXT_HTML)
public class OperatorUserResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance user(Actor operator, ConsoleQueries.UserSummary user,
                Page<ConsoleQueries.SessionRow> sessions, Page<ApiTokenService.TokenRow> tokens,
                Page<ConsoleQueries.KeyRow> keys, Page<ConsoleQueries.GrantLine> received,
                Page<ConsoleQueries.GrantLine> given, Page<AuditEvent> log, PageNumbers pages, boolean self,
                String actingFor, int reasonMaxLength);
    }

    @Inject
    OperatorPolicy policy;

    @Inject
    ConsoleQueries queries;

    @Inject
    OperatorService operators;

    @Inject
    SupportSessions support;

    @Inject
    ApiTokenService tokens;

    @Inject
    PortalConfig config;

    @Inject
    CurrentUser currentUser;

    @Inject
    Flash flash;

    @Inject
    Limits limits;

    @GET
    public TemplateInstance page(@PathParam("userId") String userId, @RestQuery @DefaultValue("1") String sessions,
            @RestQuery @DefaultValue("1") String tokens, @RestQuery @DefaultValue("1") String keys,
            @RestQuery @DefaultValue("1") String received, @RestQuery @DefaultValue("1") String given,
            @RestQuery @DefaultValue("1") String log) {
        Actor operator = policy.requireOperator();
        ConsoleQueries.UserSummary user = queries.user(Ids.parse(userId)).orElseThrow(NotFoundException::new);
        PageNumbers pages = new PageNumbers(user.path()).with("sessions", sessions).with("tokens", tokens)
                .with("keys", keys).with("received", received).with("given", given).with("log", log);
        int size = config.pageSize();
        return Templates.user(operator, user, queries.sessions(user.id(), pages.of("sessions"), size),
                this.tokens.list(user.id(), pages.of("tokens"), size), queries.keys(user.id(), pages.of("keys"), size),
                queries.received(user.id(), pages.of("received"), size),
                queries.given(user.id(), pages.of("given"), size),
                Page.of(AuditLog.securityLogQuery(user.id()), pages.of("log"), size), pages,
                user.id().equals(operator.userId()),
                Times.describe(SupportSessions.LONGEST), OperatorService.REASON_MAX_LENGTH);
    }

    @POST
    @Path("disable")
    public Response disable(@PathParam("userId") String userId, @RestForm String reason) {
        Actor operator = policy.requireOperator();
        long id = Ids.parse(userId);
        return act(id, reason, why -> operators.disable(operator, id, why));
    }

    @POST
    @Path("enable")
    public Response enable(@PathParam("userId") String userId, @RestForm String reason) {
        Actor operator = policy.requireOperator();
        long id = Ids.parse(userId);
        return act(id, reason, why -> operators.enable(operator, id, why));
    }

    @POST
    @Path("sessions/{sessionId}/end")
    public Response endSession(@PathParam("userId") String userId, @PathParam("sessionId") String sessionId,
            @RestForm String reason) {
        Actor operator = policy.requireOperator();
        long id = Ids.parse(userId);
        long session = Ids.parse(sessionId);
        return act(id, reason, why -> operators.endSession(operator, id, session, why));
    }

    @POST
    @Path("sessions/end-all")
    public Response endAllSessions(@PathParam("userId") String userId, @RestForm String reason) {
        Actor operator = policy.requireOperator();
        long id = Ids.parse(userId);
        return act(id, reason, why -> operators.endAllSessions(operator, id, why));
    }

    @POST
    @Path("api-tokens/{tokenId}/revoke")
    public Response revokeToken(@PathParam("userId") String userId, @PathParam("tokenId") String tokenId,
            @RestForm String reason) {
        Actor operator = policy.requireOperator();
        long id = Ids.parse(userId);
        long token = Ids.parse(tokenId);
        return act(id, reason, why -> operators.revokeToken(operator, id, token, why));
    }

    @POST
    @Path("resend-activation")
    public Response resendActivation(@PathParam("userId") String userId, @RestForm String reason) {
        Actor operator = policy.requireOperator();
        long id = Ids.parse(userId);
        // The same budget as the user's own "send it again" (R20): the console cannot flood a mailbox either.
        return act(id, reason, why -> {
            queries.user(id).filter(ConsoleQueries.UserSummary::pendingActivation)
                    .ifPresent(user -> limits.check(LimitedAction.ACTIVATION_RESEND, user.email()));
            return operators.resendActivation(operator, id, why);
        });
    }

    @POST
    @Path("invitations/{grantId}/cancel")
    public Response cancelInvitation(@PathParam("userId") String userId, @PathParam("grantId") String grantId,
            @RestForm String reason) {
        Actor operator = policy.requireOperator();
        long id = Ids.parse(userId);
        long grant = Ids.parse(grantId);
        return act(id, reason, why -> operators.cancelInvitation(operator, id, grant, why));
    }

    /** Acting as the user for support: a reason and a code; then the user's own pages, read-only. */
    @POST
    @Path("act")
    public Response act(@PathParam("userId") String userId, @RestForm String reason, @RestForm String code) {
        Actor operator = policy.requireOperator();
        long id = Ids.parse(userId);
        SupportSessions.StartResult result = support.start(operator, currentUser.get().sessionId(), id, reason, code);
        String back = "/operator/users/" + id;
        if (result instanceof SupportSessions.NoSuchUser) {
            throw new NotFoundException();
        }
        if (result instanceof SupportSessions.Started started) {
            flash.success("You are acting as this user, read-only, until " + Times.utc(started.endsAt())
                    + ". They were told why.");
            return Redirects.seeOther("/accounts/" + started.accountId() + "/infrastructures");
        }
        if (result instanceof SupportSessions.Invalid invalid) {
            // Said at the top too: the form is folded away when the page comes back. The code is never sent back.
            Map<String, String> fields = invalid.errors().fields();
            flash.error(fields.getOrDefault("reason", fields.get("code")));
            flash.form(invalid.errors(), Map.of("reason", reason == null ? "" : reason.strip()));
        } else if (result instanceof SupportSessions.Throttled) {
            flash.error("Too many wrong codes. Wait a few minutes and try again.");
        } else {
            flash.error("This session is already acting as someone. Stop that first.");
        }
        return Redirects.seeOther(back);
    }

    private Response act(long userId, String reason, java.util.function.Function<String, OperatorService.Result> action) {
        if (!queries.userExists(userId)) {
            throw new NotFoundException();
        }
        String back = "/operator/users/" + userId;
        FormErrors errors = new FormErrors();
        String why = OperatorService.reason(reason, errors);
        if (!errors.isEmpty()) {
            flash.error(errors.fields().get("reason"));
            return Redirects.seeOther(back);
        }
        OperatorService.Result result = action.apply(why);
        switch (result.status()) {
            case DONE -> flash.success(result.message());
            case STALE -> flash.info(result.message());
            case REFUSED -> flash.error(result.message());
        }
        return Redirects.seeOther(back);
    }
}
