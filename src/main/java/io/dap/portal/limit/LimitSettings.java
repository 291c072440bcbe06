package io.dap.portal.limit;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dap.portal.web.PortalConfig;

/** How many of each limited action a window allows, from the {@code portal.limits.*} settings. */
@ApplicationScoped
public class LimitSettings {

    @Inject
    PortalConfig config;

    public Duration window() {
        return config.limits().window();
    }

    /** The allowance for one action counted one way; 0 means none at all. */
    public int allowed(LimitedAction action, LimitedAction.Dimension dimension) {
        PortalConfig.Limits limits = config.limits();
        return switch (dimension) {
            case CLIENT -> limits.perClient();
            case RECIPIENT -> limits.perRecipient();
            case ACTOR -> switch (action) {
                case INVITE, INVITATION_RESEND -> limits.invitationsPerActor();
                case API_TOKEN -> limits.apiTokensPerActor();
                case EMAIL_CHANGE -> limits.emailChangesPerActor();
                // signed out: there is no actor to count
                case SIGN_UP, ACTIVATION_RESEND, PASSWORD_RESET -> Integer.MAX_VALUE;
            };
        };
    }
}
