package io.dap.portal.pages.sshkey;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.dap.portal.access.CurrentUser;
import io.dap.portal.access.Ids;
import io.dap.portal.sshkey.SshKey;
import io.dap.portal.sshkey.SshKeyService;
import io.dap.portal.web.Flash;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Settings › SSH keys: the public keys the signed-in user's new drives receive (R11). */
@Path("/settings/ssh-keys")
@Produces(MediaType.TEXT_HTML)
public class SshKeysResource {

    private static final String PAGE = "/settings/ssh-keys";

    public record KeyRow(Long id, String label, String keyType, int bits, String fingerprint, Instant createdAt) {

        static KeyRow of(SshKey key) {
            return new KeyRow(key.id, key.label, key.keyType, key.bits, key.fingerprint, key.createdAt);
        }

        public String deleteAction() {
            return PAGE + "/" + id + "/delete";
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance keys(List<KeyRow> keys);
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    SshKeyService keys;

    @Inject
    Flash flash;

    @GET
    public TemplateInstance list() {
        return Templates.keys(keys.list(currentUser.id()).stream().map(KeyRow::of).toList());
    }

    @POST
    public Response add(@RestForm String label, @RestForm String publicKey) {
        Long userId = currentUser.id();
        SshKeyService.AddResult result;
        try {
            result = keys.add(userId, label, publicKey);
        } catch (RuntimeException e) {
            if (!SshKeyService.isDuplicateInsert(e)) {
                throw e;
            }
            // A concurrent add of the same key committed first; trying again meets the ordinary duplicate check.
            result = keys.add(userId, label, publicKey);
        }
        if (result instanceof SshKeyService.Refused refused) {
            Map<String, String> refill = new HashMap<>();
            refill.put("label", label);
            if (isRefillable(publicKey)) {
                refill.put("publicKey", publicKey.strip());
            }
            flash.form(refused.errors(), refill);
            return Redirects.seeOther(PAGE);
        }
        SshKey added = ((SshKeyService.Added) result).key();
        flash.success("The SSH key " + added.label + " was added.");
        return Redirects.seeOther(PAGE);
    }

    @POST
    @Path("{id}/delete")
    public Response delete(@PathParam("id") String id) {
        if (!keys.delete(currentUser.id(), Ids.parse(id))) {
            throw new NotFoundException();
        }
        flash.success("The SSH key was deleted. Drives that already received it keep their copy.");
        return Redirects.seeOther(PAGE);
    }

    /**
     * A public key is one line and safe to echo back. A multi-line paste is most likely a private
     * key, which must not travel back in the flash cookie or reappear on the page. A key longer
     * than the flash keeps would come back cut, and only be refused again.
     */
    private static boolean isRefillable(String publicKey) {
        return publicKey != null && publicKey.strip().length() <= Flash.MAX_VALUE_LENGTH
                && publicKey.strip().lines().count() <= 1;
    }
}
