package io.dap.portal.pages.apitoken;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
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

import io.dap.portal.access.CurrentUser;
import io.dap.portal.access.Ids;
import io.dap.portal.access.SessionUser;
import io.dap.portal.apitoken.ApiTokenService;
import io.dap.portal.twofactor.TwoFactorService;
import io.dap.portal.web.Flash;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Redirects;
import io.dap.portal.web.Tokens;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Settings › API tokens (R14). A browser page only: the API authenticates {@code /api/*} alone, so
 * a token can never reach this page and never create another token.
 */
@Path("/settings/api-tokens")
@Produces(MediaType.TEXT_HTML)
public class ApiTokensResource {

    private static final String PAGE = "/settings/api-tokens";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance tokens(Page<ApiTokenService.TokenRow> tokens,
                List<ApiTokenService.ActingAccount> accounts, String expires, String expiresHint,
                boolean noExpiryAllowed, String formOnce, boolean askCode);

        static native TemplateInstance created(ApiTokenService.Created token, String baseUrl);
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    ApiTokenService tokens;

    @Inject
    Flash flash;

    @Inject
    PortalConfig config;

    @Inject
    TwoFactorService twoFactor;

    @GET
    public TemplateInstance list(@RestQuery @DefaultValue("1") String page) {
        Long me = currentUser.id();
        String expires = flash.value("expires");
        return Templates.tokens(tokens.list(me, Page.parseNumber(page), config.pageSize()), tokens.actingAccounts(me),
                expires.isEmpty() ? tokens.defaultExpiry().toString() : expires,
                "The token stops working after this day. At most " + tokens.latestExpiry() + ".",
                tokens.noExpiryAllowed(), Tokens.newToken(), twoFactor.enabledFor(me));
    }

    /**
     * On success the page is rendered from this POST, not after a redirect: the secret exists only
     * here, and it must not travel in a URL, a cookie or a server-side store to survive a redirect.
     * The answer is not cached (no-store), so it cannot be shown a second time.
     */
    @POST
    public Response create(@RestForm String name, @RestForm String scope, @RestForm String account,
            @RestForm String expires, @RestForm String noExpiry, @RestForm String password, @RestForm String code,
            @RestForm String once) {
        SessionUser me = currentUser.get();
        ApiTokenService.CreateResult result;
        try {
            result = tokens.create(me, name, scope, account, expires, noExpiry, password, code, once);
        } catch (PersistenceException e) {
            result = new ApiTokenService.AlreadyCreated();
        }
        if (result instanceof ApiTokenService.AlreadyCreated) {
            flash.info("This form was already sent, and its token was created then. A secret is shown only once:"
                    + " if you did not copy it, revoke that token and create a new one.");
            return Redirects.seeOther(PAGE);
        }
        if (result instanceof ApiTokenService.Refused refused) {
            flash.form(refused.errors(), refused.values());
            return Redirects.seeOther(PAGE);
        }
        return Response.ok(Templates.created((ApiTokenService.Created) result, config.baseUrl()))
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("{id}/revoke")
    public Response revoke(@PathParam("id") String id) {
        switch (tokens.revoke(currentUser.get(), Ids.parse(id))) {
            case NOT_FOUND -> throw new NotFoundException();
            case ALREADY_ENDED -> flash.info("That token was already revoked.");
            case REVOKED -> flash.success("Token revoked. Calls made with it fail from now on.");
        }
        return Redirects.seeOther(PAGE);
    }
}
