package io.dap.portal.pages.sharing;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.sharing.TwoFactorRequirementService;
import io.dap.portal.web.Flash;
import io.dap.portal.web.Redirects;

/** The owner's switch on Account sharing: require a second factor of the people they share with (R19). */
@Path("/accounts/{accountId}/sharing/two-factor")
@Produces(MediaType.TEXT_HTML)
public class TwoFactorRequirementResource {

    @Inject
    AccessPolicy policy;

    @Inject
    TwoFactorRequirementService requirements;

    @Inject
    Flash flash;

    @POST
    public Response set(@PathParam("accountId") String accountId, @RestForm String required) {
        AccountAccess access = policy.requireAccount(accountId);
        policy.requireManageAccountSharing(access);
        switch (requirements.setRequired(access, "on".equals(required))) {
            case TURNED_ON -> flash.success("Two-factor sign-in is now required. Delegates without it were told, and"
                    + " see only this requirement in your account until they turn it on.");
            case TURNED_OFF -> flash.success("Two-factor sign-in is no longer required of the people you share with.");
            case UNCHANGED -> flash.info("Nothing changed: that was already the setting.");
        }
        return Redirects.seeOther(access.path() + "/sharing");
    }
}
