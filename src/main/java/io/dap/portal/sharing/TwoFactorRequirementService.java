package io.dap.portal.sharing;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Grant;
import io.dap.portal.account.Account;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.mail.Emails;
import io.dap.portal.notification.Notification;
import io.dap.portal.twofactor.TwoFactor;
import io.dap.portal.twofactor.TwoFactorRequirement;
import io.dap.portal.user.User;
import io.dap.portal.web.InList;
import io.dap.portal.web.Page;
import io.dap.portal.web.TimeSource;

/**
 * "Require two-factor sign-in for people I share with" (R19), on the owner's Account sharing page:
 * the switch, and who has a second factor (yes or no, nothing more). The refusal itself is
 * TwoFactorGate's, asked by AccessPolicy on every request.
 */
@ApplicationScoped
public class TwoFactorRequirementService {

    @Inject
    TimeSource time;

    @Inject
    AuditLog audit;

    @Inject
    Emails emails;

    /** Someone with live access, and whether they sign in with a second factor. */
    public record Person(Long userId, String name, String email, boolean twoFactor) {
    }

    public record Panel(boolean required, Instant requiredAt, String action, Page<Person> people) {
    }

    public enum Change { TURNED_ON, TURNED_OFF, UNCHANGED }

    /**
     * Turns the requirement on or off. Turning it on tells each delegate without a second factor,
     * once (a notification and a mail): the account row is locked first, so two clicks make one change.
     */
    @Transactional
    public Change setRequired(AccountAccess access, boolean required) {
        Account account = Account.findById(access.accountId(), LockModeType.PESSIMISTIC_WRITE);
        boolean on = TwoFactorRequirement.isOn(account.id);
        if (on == required) {
            return Change.UNCHANGED;
        }
        Instant now = time.now();
        if (!required) {
            TwoFactorRequirement.deleteById(account.id);
            audit.inAccount(account.id, access.actor().userId(), access.actor().email(),
                    AuditAction.TWO_FACTOR_REQUIREMENT_OFF, Outcome.SUCCESS, "account " + account.id, null);
            return Change.TURNED_OFF;
        }
        TwoFactorRequirement requirement = new TwoFactorRequirement();
        requirement.accountId = account.id;
        requirement.requiredAt = now;
        requirement.requiredBy = access.actor().userId();
        requirement.persist();
        List<User> affected = User.list("select distinct u from Grant g join g.grantee u where g.account.id = ?1"
                + " and " + Grant.activeAt("g", "?2") + " and not exists (select 1 from TwoFactor t"
                + " where t.userId = u.id and t.enabledAt is not null) order by u.email", account.id, now);
        String owner = access.ownerName() + " (" + access.ownerEmail() + ")";
        for (User delegate : affected) {
            Notification.send(delegate.id, owner + " now requires two-factor sign-in to act in " + account.displayName
                    + ". Turn it on to keep your access.", "/settings/two-factor", now);
            emails.twoFactorRequired(delegate.email, delegate.displayName, owner, account.displayName);
        }
        audit.inAccount(account.id, access.actor().userId(), access.actor().email(),
                AuditAction.TWO_FACTOR_REQUIREMENT_ON, Outcome.SUCCESS, "account " + account.id,
                affected.size() + (affected.size() == 1 ? " delegate" : " delegates") + " without it told");
        return Change.TURNED_ON;
    }

    /**
     * The switch and one page of the people with live access (account or infrastructure), by
     * address: three statements whatever their number (count, page, who of them has a second factor).
     */
    @Transactional
    public Panel panel(AccountAccess access, int requestedPage, int size) {
        Instant now = time.now();
        int number = Math.max(1, requestedPage);
        // People in the order of their user ids, read from the account's grants index: no sort, no count.
        List<Long> ids = Grant.getEntityManager().createQuery("select distinct g.account.id, g.grantee.id from Grant g"
                + " where g.account.id = ?1 and " + Grant.activeAt("g", "?2")
                + " order by g.account.id, g.grantee.id", Object[].class)
                .setParameter(1, access.accountId()).setParameter(2, now)
                .setFirstResult((number - 1) * size).setMaxResults(size + 1).getResultStream()
                .map(row -> (Long) row[1]).toList();
        List<Long> shown = ids.stream().limit(size).toList();
        List<User> people = List.of();
        if (!shown.isEmpty()) {
            InList users = InList.of("user", shown);
            people = User.list("id in " + users.sql() + " order by id", users.parameters());
        }
        Set<Long> enabled = TwoFactor.enabledAmong(shown);
        TwoFactorRequirement requirement = TwoFactorRequirement.findById(access.accountId());
        return new Panel(requirement != null, requirement == null ? null : requirement.requiredAt,
                access.path() + "/sharing/two-factor",
                Page.slice(people.stream().map(u -> new Person(u.id, u.displayName, u.email, enabled.contains(u.id)))
                        .toList(), number, size, ids.size() > size));
    }
}
