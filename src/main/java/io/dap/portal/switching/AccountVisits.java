package io.dap.portal.switching;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.dap.portal.access.AccountOpened;

/** Keeps the "recently used" order of the switch menu from the accounts people open. */
@ApplicationScoped
public class AccountVisits {

    @Inject
    SwitchAccountService switching;

    /** "Recently used" is what a person opened in a browser, not what their scripts call; nor their own account. */
    void onOpened(@Observes AccountOpened opened) {
        if (!opened.access().isOwn() && !opened.byApiToken()) {
            switching.visited(opened.access().actor().userId(), opened.access().accountId());
        }
    }
}
