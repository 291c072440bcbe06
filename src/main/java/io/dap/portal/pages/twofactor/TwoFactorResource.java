package io.dap.portal.pages.twofactor;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.dap.portal.access.CurrentUser;
import io.dap.portal.credentials.TwoFactorSettings;
import io.dap.portal.twofactor.TwoFactor;
import io.dap.portal.twofactor.TwoFactorService;
import io.dap.portal.user.User;
import io.dap.portal.web.ClientAddress;
import io.dap.portal.web.Flash;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Settings › Two-factor (R19): set up with a QR code or the secret typed in, confirmed by a first
 * code and the password; recovery codes shown once; new codes; turning it off.
 */
@Path("/settings/two-factor")
@Produces(MediaType.TEXT_HTML)
public class TwoFactorResource {

    private static final String PAGE = "/settings/two-factor";

    /** The page's state: off, waiting for the first code (with the secret), or on. */
    public record Status(boolean enabled, Instant enabledAt, long recoveryCodesLeft,
            TwoFactorService.Enrolment enrolment) {

        public boolean enrolling() {
            return enrolment != null;
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance twoFactor(Status status);

        static native TemplateInstance recoveryCodes(List<String> codes, boolean justEnabled);
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    TwoFactorService twoFactor;

    @Inject
    TwoFactorSettings settings;

    @Inject
    ClientAddress client;

    @Inject
    Flash flash;

    @GET
    @Transactional
    public TemplateInstance page() {
        User me = User.findById(currentUser.id());
        TwoFactor row = TwoFactor.findById(me.id);
        boolean enabled = row != null && row.enabled();
        return Templates.twoFactor(new Status(enabled, enabled ? row.enabledAt : null,
                enabled ? twoFactor.recoveryCodesLeft(me.id) : 0, twoFactor.enrolment(me).orElse(null)));
    }

    @POST
    @Path("setup")
    public Response setUp() {
        try {
            if (!twoFactor.startEnrolment(currentUser.id())) {
                flash.info("Two-factor sign-in is already on.");
            }
        } catch (PersistenceException e) {
            // Another tab started the set-up at the same moment: its key is the one shown.
            flash.info("The set-up was already started; this is its key.");
        }
        return Redirects.seeOther(PAGE);
    }

    /** On success the codes are rendered from this POST (not stored, not in a URL): shown once. */
    @POST
    @Path("enable")
    public Response enable(@RestForm String code, @RestForm String password) {
        return answer(settings.enable(currentUser.id(), password, code, client.value()), true);
    }

    @POST
    @Path("recovery-codes")
    public Response regenerate(@RestForm String code) {
        return answer(settings.regenerate(currentUser.id(), code, client.value()), false);
    }

    @POST
    @Path("disable")
    public Response disable(@RestForm String password, @RestForm String code) {
        TwoFactorSettings.Result result = settings.disable(currentUser.id(), password, code, client.value());
        if (result instanceof TwoFactorSettings.Done) {
            flash.success("Two-factor sign-in is off. Accounts whose owners require it show you only that"
                    + " requirement until you turn it on again.");
            return Redirects.seeOther(PAGE);
        }
        return answer(result, false);
    }

    private Response answer(TwoFactorSettings.Result result, boolean justEnabled) {
        if (result instanceof TwoFactorSettings.Done done) {
            return Response.ok(Templates.recoveryCodes(done.recoveryCodes(), justEnabled))
                    .header("Cache-Control", "no-store").build();
        }
        if (result instanceof TwoFactorSettings.Refused refused) {
            // Neither the password nor the code is ever sent back into the form.
            flash.form(refused.errors(), Map.of());
        } else if (result instanceof TwoFactorSettings.Stale stale) {
            flash.info(stale.message());
        }
        return Redirects.seeOther(PAGE);
    }
}
