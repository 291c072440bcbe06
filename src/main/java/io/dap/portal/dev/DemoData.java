package io.dap.portal.dev;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.dap.portal.account.Account;
import io.dap.portal.session.LoginResource;
import io.dap.portal.user.User;
import io.dap.portal.user.UserService;
import io.dap.portal.web.TimeSource;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;

/**
 * Development only: the demo organisation of DESIGN.md §5. Adds what is missing and never
 * deletes or overwrites anything, so restarting dev mode keeps whatever was changed by hand.
 */
@IfBuildProfile("dev")
public class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class);

    static final String[][] PEOPLE = {
            { "finance@example.com", "Finance (Acme Corp)" },
            { "ops@example.com", "Operations" },
            { "mktg@example.com", "Marketing" },
            { "logistics@example.com", "Logistics" },
            { "bi@example.com", "Business Intelligence" },
    };

    @Inject
    UserService users;

    @Inject
    TimeSource time;

    @Transactional
    void seed(@Observes StartupEvent start) {
        int added = 0;
        for (String[] person : PEOPLE) {
            if (User.findByEmail(person[0]).isEmpty()) {
                User user = new User();
                user.email = person[0];
                user.displayName = person[1];
                user.passwordHash = users.hash(LoginResource.DEMO_PASSWORD);
                user.status = User.Status.ACTIVE;
                user.createdAt = time.now();
                user.activatedAt = user.createdAt;
                user.passwordChangedAt = user.createdAt;
                user.persist();
                Account.openFor(user, user.createdAt);
                added++;
            }
        }
        if (added > 0) {
            LOG.infof("Demo data: added %d demo users (password %s)", added, LoginResource.DEMO_PASSWORD);
        }
    }
}
