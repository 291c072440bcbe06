package io.dap.portal.pages.home;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.dap.portal.access.CurrentUser;
import io.dap.portal.access.SessionUser;
import io.dap.portal.apitoken.ApiTokenService;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.sharing.ReceivedAccess;
import io.dap.portal.sharing.GrantRows;
import io.dap.portal.switching.SwitchAccountService;
import io.dap.portal.web.Keyset;
import io.dap.portal.web.Page;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The front page: a welcome for visitors, the user's access dashboard once signed in. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class HomeResource {

    /** Each block shows this many rows at most, with a link to the full list. */
    static final int BLOCK = 5;
    /** Tokens expiring this soon are called out. */
    static final Duration TOKEN_WARNING = Duration.ofDays(14);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance landing();

        static native TemplateInstance dashboard(SessionUser me, Page<ReceivedAccess.Received> invitations,
                Page<SwitchAccountService.Choice> sharedWithMe, List<GrantRows.AccessCount> myAccount,
                Page<ApiTokenService.TokenRow> expiringTokens, Keyset<AuditEvent> securityLog);
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    ReceivedAccess received;

    @Inject
    SwitchAccountService switching;

    @Inject
    GrantRows grantRows;

    @Inject
    ApiTokenService tokens;

    @Inject
    AuditLog audit;

    /**
     * The dashboard: invitations waiting (answered in place), accounts shared with the user, who has
     * access to their account, tokens about to expire, and their latest security events. Each block
     * is capped, so the page costs the same statements whatever the user holds.
     */
    @GET
    public Response landing() {
        if (!currentUser.signedIn()) {
            return Response.ok(Templates.landing()).build();
        }
        SessionUser me = currentUser.get();
        return Response.ok(Templates.dashboard(me, received.waiting(me.userId(), 1, BLOCK),
                switching.shared(me.userId(), "", 1, BLOCK), grantRows.accessCounts(me.accountId()),
                tokens.expiringSoon(me.userId(), TOKEN_WARNING, BLOCK), audit.securityLog(me.userId(), null, null, BLOCK)))
                .build();
    }

    /** Where sign-in lands (kept as a stable address for bookmarks and redirects): the dashboard. */
    @GET
    @Path("dashboard")
    public Response dashboard() {
        return Redirects.seeOther("/");
    }
}
