package io.dap.portal.limit;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dap.portal.access.CurrentUser;
import io.dap.portal.access.SessionUser;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.web.ClientAddress;
import io.dap.portal.web.TooManyRequests;
import io.quarkus.scheduler.Scheduled;

/**
 * The one limiter every mail-sending or token-creating action asks first (R20). A resource calls
 * {@link #check} after reading its input and before calling its service; past a limit it throws
 * {@link TooManyRequests} (a 429 page, or a problem on the API, with Retry-After), so nothing is sent
 * or created, and the refusal is audited. The address a mail goes to has one budget for all these
 * actions together, whoever asks: it never receives more than {@code portal.limits.per-recipient}
 * such mails in a window.
 */
@ApplicationScoped
public class Limits {

    @Inject
    RateLimiter limiter;

    @Inject
    LimitSettings settings;

    @Inject
    CurrentUser currentUser;

    @Inject
    ClientAddress clientAddress;

    @Inject
    AuditLog audit;

    /**
     * Counts one {@code action} from this request: per client address, per signed-in actor, and
     * against the budget of {@code recipient} (a normalised address; null when nothing is mailed).
     * Throws TooManyRequests when any count is used up.
     */
    public void check(LimitedAction action, String recipient) {
        String client = clientAddress.value();
        SessionUser actor = currentUser.signedIn() ? currentUser.get() : null;
        if (client != null) {
            count(action, LimitedAction.Dimension.CLIENT, action.counter() + "|client|" + client, actor, recipient);
        }
        if (actor != null) {
            count(action, LimitedAction.Dimension.ACTOR, action.counter() + "|actor|" + actor.userId(), actor,
                    recipient);
        }
        if (recipient != null && action.mails()) {
            count(action, LimitedAction.Dimension.RECIPIENT, "recipient|" + recipient.toLowerCase(Locale.ROOT), actor,
                    recipient);
        }
    }

    private void count(LimitedAction action, LimitedAction.Dimension dimension, String key, SessionUser actor,
            String recipient) {
        int allowed = settings.allowed(action, dimension);
        if (allowed == Integer.MAX_VALUE) {
            return;
        }
        Optional<Duration> wait = limiter.hit(key, allowed, settings.window());
        if (wait.isPresent()) {
            String target = action.label() + (recipient == null ? "" : " to " + recipient) + " (limit per "
                    + dimension.name().toLowerCase(Locale.ROOT) + ")";
            audit.recordRefusal(actor == null ? null : actor.userId(), actor == null ? null : actor.email(), null,
                    AuditAction.RATE_LIMITED, target);
            throw new TooManyRequests(wait.get());
        }
    }

    @Scheduled(every = "1h", delayed = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        limiter.purge(settings.window());
    }
}
