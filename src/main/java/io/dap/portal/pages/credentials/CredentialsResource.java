package io.dap.portal.pages.credentials;

import java.time.Instant;
import java.util.List;

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

import org.jboss.resteasy.reactive.RestQuery;

import io.dap.portal.access.CurrentUser;
import io.dap.portal.access.Ids;
import io.dap.portal.access.SessionUser;
import io.dap.portal.apitoken.ApiTokenService;
import io.dap.portal.sshkey.SshKeyService;
import io.dap.portal.web.Flash;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Where a password reset or change leads: the ways into the account that outlive a password (API
 * tokens that still work, SSH keys for new drives), each with a one-click revoke.
 */
@Path("/settings/credentials")
@Produces(MediaType.TEXT_HTML)
public class CredentialsResource {

    private static final String PAGE = "/settings/credentials";

    public record KeyRow(Long id, String label, String keyType, String fingerprint, Instant createdAt) {

        public String deleteAction() {
            return PAGE + "/ssh-keys/" + id + "/delete";
        }
    }

    public record TokenRow(ApiTokenService.TokenRow token) {

        public String revokeAction() {
            return PAGE + "/api-tokens/" + token.id() + "/revoke";
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance credentials(Page<TokenRow> tokens, List<KeyRow> keys);
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    ApiTokenService tokens;

    @Inject
    SshKeyService keys;

    @Inject
    PortalConfig config;

    @Inject
    Flash flash;

    @GET
    public TemplateInstance page(@RestQuery @DefaultValue("1") String page) {
        Long me = currentUser.id();
        List<KeyRow> rows = keys.list(me).stream()
                .map(k -> new KeyRow(k.id, k.label, k.keyType, k.fingerprint, k.createdAt)).toList();
        Page<ApiTokenService.TokenRow> active = tokens.listActive(me, Page.parseNumber(page), config.pageSize());
        return Templates.credentials(new Page<>(active.items().stream().map(TokenRow::new).toList(), active.number(),
                active.size(), active.total()), rows);
    }

    @POST
    @Path("api-tokens/{id}/revoke")
    public Response revokeToken(@PathParam("id") String id) {
        switch (tokens.revoke(currentUser.get(), Ids.parse(id))) {
            case NOT_FOUND -> throw new NotFoundException();
            case ALREADY_ENDED -> flash.info("That token was already revoked.");
            case REVOKED -> flash.success("Token revoked. Calls made with it fail from now on.");
        }
        return Redirects.seeOther(PAGE);
    }

    @POST
    @Path("api-tokens/revoke-all")
    public Response revokeAllTokens() {
        SessionUser me = currentUser.get();
        int revoked = tokens.revokeAllOf(me.userId(), me.email());
        flash.success(revoked == 0 ? "You had no API token left to revoke."
                : "Revoked " + revoked + (revoked == 1 ? " API token." : " API tokens."));
        return Redirects.seeOther(PAGE);
    }

    @POST
    @Path("ssh-keys/{id}/delete")
    public Response deleteKey(@PathParam("id") String id) {
        if (!keys.delete(currentUser.id(), Ids.parse(id))) {
            throw new NotFoundException();
        }
        flash.success("Key deleted. Drives provisioned from now on no longer receive it; drives that exist keep it"
                + " until their owner removes it.");
        return Redirects.seeOther(PAGE);
    }
}
