package io.dap.portal.pages.sharing;

import io.dap.portal.sharing.GrantLifecycle;
import io.dap.portal.web.Flash;

/** What both sharing pages say after a revocation. */
final class RevokeMessages {

    private RevokeMessages() {
    }

    static void flash(Flash flash, GrantLifecycle.Revoked revoked, boolean keysRemoved) {
        if (!revoked.any()) {
            flash.error("That delegate no longer had access; nothing changed.");
            return;
        }
        StringBuilder message = new StringBuilder(revoked.grants() == 1 ? "Access revoked."
                : "Access revoked: " + revoked.grants() + " grants ended.");
        message.append(" It ends with the delegate's next request.");
        if (revoked.given() > 0) {
            message.append(" ").append(revoked.given()).append(revoked.given() == 1 ? " grant" : " grants")
                    .append(" they had given also ended.");
        }
        if (keysRemoved) {
            message.append(" Their SSH keys were removed from the drives.");
        }
        flash.success(message.toString());
    }
}
