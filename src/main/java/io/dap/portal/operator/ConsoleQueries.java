package io.dap.portal.operator;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

import io.dap.portal.access.Operators;
import io.dap.portal.account.Account;
import io.dap.portal.account.AccountColour;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.session.UserSession;
import io.dap.portal.access.Grant;
import io.dap.portal.sharing.GrantRow;
import io.dap.portal.sharing.GrantRows;
import io.dap.portal.sshkey.SshKey;
import io.dap.portal.twofactor.TwoFactor;
import io.dap.portal.user.User;
import io.dap.portal.web.Page;
import io.dap.portal.web.TimeSource;
import io.quarkus.hibernate.orm.panache.Panache;

/**
 * What the operator console reads (R21): search, a user, an account. Every list is one page at a
 * time and costs the same statements whatever the data: a count, the page, and at most one more
 * statement for what the page's rows need.
 */
@ApplicationScoped
public class ConsoleQueries {

    @Inject
    TimeSource time;

    @Inject
    Operators operators;

    /** One user with the account they own (every user owns exactly one). */
    public record Hit(Long userId, String email, String displayName, User.Status status, Long accountId,
            String accountName) {

        public String statusLabel() {
            return ConsoleQueries.statusLabel(status);
        }
    }

    /**
     * Users and their accounts whose id, address or name (the user's or the account's) matches;
     * the newest users when nothing is asked. Two statements.
     */
    @Transactional
    public Page<Hit> search(String query, int requestedPage, int size) {
        String text = query == null ? "" : query.strip().toLowerCase(java.util.Locale.ROOT);
        Long id = number(text);
        String where = " from User u, Account a where a.owner = u";
        if (!text.isEmpty()) {
            where += " and (lower(u.email) like :text escape '\\' or lower(u.displayName) like :text escape '\\'"
                    + " or lower(a.displayName) like :text escape '\\'" + (id == null ? "" : " or u.id = :id or a.id = :id")
                    + ")";
        }
        var em = Panache.getEntityManager();
        TypedQuery<Long> count = em.createQuery("select count(u)" + where, Long.class);
        TypedQuery<Object[]> rows = em.createQuery("select u.id, u.email, u.displayName, u.status, a.id, a.displayName"
                + where + (text.isEmpty() ? " order by u.createdAt desc, u.id desc" : " order by u.email, u.id"),
                Object[].class);
        if (!text.isEmpty()) {
            for (TypedQuery<?> q : List.<TypedQuery<?>>of(count, rows)) {
                q.setParameter("text", Page.containsPattern(text));
                if (id != null) {
                    q.setParameter("id", id);
                }
            }
        }
        long total = count.getSingleResult();
        int number = Page.clampNumber(requestedPage, total, size);
        List<Hit> hits = rows.setFirstResult((number - 1) * size).setMaxResults(size).getResultList().stream()
                .map(r -> new Hit((Long) r[0], (String) r[1], (String) r[2], (User.Status) r[3], (Long) r[4],
                        (String) r[5]))
                .toList();
        return new Page<>(hits, number, size, total);
    }

    public record UserSummary(Long id, String email, String displayName, User.Status status, Instant createdAt,
            Instant activatedAt, boolean twoFactor, Long accountId, String accountName, Instant disabledAt,
            String disabledBy, String disabledReason, boolean operator) {

        public String statusLabel() {
            return ConsoleQueries.statusLabel(status);
        }

        public boolean disabled() {
            return status == User.Status.DISABLED;
        }

        /** Disabled without an operator's record: a placeholder retired by an email change. */
        public boolean retired() {
            return disabled() && disabledAt == null;
        }

        public boolean pendingActivation() {
            return status == User.Status.PENDING_ACTIVATION;
        }

        public String path() {
            return "/operator/users/" + id;
        }
    }

    /** A user's facts; three statements. */
    @Transactional
    public Optional<UserSummary> user(Long userId) {
        Object[] row = Panache.getEntityManager().createQuery("select u, a.id, a.displayName from User u, Account a"
                + " where a.owner = u and u.id = :id", Object[].class).setParameter("id", userId)
                .getResultStream().findFirst().orElse(null);
        if (row == null) {
            return Optional.empty();
        }
        User user = (User) row[0];
        Disablement disablement = Disablement.find("select d from Disablement d join fetch d.disabledBy"
                + " where d.userId = ?1", user.id).firstResult();
        return Optional.of(new UserSummary(user.id, user.email, user.displayName, user.status, user.createdAt,
                user.activatedAt, TwoFactor.enabledFor(user.id), (Long) row[1], (String) row[2],
                disablement == null ? null : disablement.disabledAt,
                disablement == null ? null : disablement.disabledBy.email,
                disablement == null ? null : disablement.reason, operators.isOperator(user.email)));
    }

    @Transactional
    public boolean userExists(Long userId) {
        return User.count("id", userId) > 0;
    }

    public record SessionRow(Long id, Instant createdAt, Instant lastSeenAt, Instant expiresAt, String clientAddress,
            String userAgent, boolean impersonating) {
    }

    @Transactional
    public Page<SessionRow> sessions(Long userId, int requestedPage, int size) {
        Page<UserSession> page = Page.of(UserSession.find("user.id = ?1 order by lastSeenAt desc, id desc", userId),
                requestedPage, size);
        return new Page<>(page.items().stream().map(s -> new SessionRow(s.id, s.createdAt, s.lastSeenAt, s.expiresAt,
                s.clientAddress, s.userAgent, s.impersonationId != null)).toList(), page.number(), page.size(),
                page.total());
    }

    public record KeyRow(Long id, String label, String keyType, int bits, String fingerprint, Instant createdAt) {
    }

    @Transactional
    public Page<KeyRow> keys(Long userId, int requestedPage, int size) {
        Page<SshKey> page = Page.of(SshKey.find("user.id = ?1 order by createdAt, id", userId), requestedPage, size);
        return new Page<>(page.items().stream().map(k -> new KeyRow(k.id, k.label, k.keyType, k.bits, k.fingerprint,
                k.createdAt)).toList(), page.number(), page.size(), page.total());
    }

    /** A grant as the console lists it: in which account, whose, and its row as the sharing pages show it. */
    public record GrantLine(Long accountId, String accountName, String ownerEmail, GrantRow grant) {

        public String accountPath() {
            return "/operator/accounts/" + accountId;
        }
    }

    /** Grants the user received, every status, newest first: three statements. */
    @Transactional
    public Page<GrantLine> received(Long userId, int requestedPage, int size) {
        return grants("g.grantee.id = ?1", userId, requestedPage, size);
    }

    /** Grants the user gave others (as owner, or as an account Administrator elsewhere), newest first. */
    @Transactional
    public Page<GrantLine> given(Long userId, int requestedPage, int size) {
        return grants("g.invitedBy.id = ?1 and g.grantee.id <> ?1", userId, requestedPage, size);
    }

    private Page<GrantLine> grants(String where, Long userId, int requestedPage, int size) {
        long total = Panache.getEntityManager().createQuery("select count(g) from Grant g where " + where, Long.class)
                .setParameter(1, userId).getSingleResult();
        int number = Page.clampNumber(requestedPage, total, size);
        List<Grant> grants = Grant.<Grant>find("select g from Grant g join fetch g.account a join fetch a.owner"
                + " join fetch g.grantee join fetch g.invitedBy left join fetch g.infrastructure where " + where
                + " order by g.invitedAt desc, g.id desc", userId).page(number - 1, size).list();
        List<GrantRow> rows = GrantRows.rowsOf(grants, time.now(), "");
        List<GrantLine> lines = new java.util.ArrayList<>();
        for (int i = 0; i < grants.size(); i++) {
            Account account = grants.get(i).account;
            lines.add(new GrantLine(account.id, account.displayName, account.owner.email, rows.get(i)));
        }
        return new Page<>(lines, number, size, total);
    }

    public record AccountSummary(Long id, String name, String colourClass, Instant createdAt, Long ownerId,
            String ownerEmail, String ownerName, User.Status ownerStatus, boolean billable, String paymentMethod) {

        public String path() {
            return "/operator/accounts/" + id;
        }

        public String ownerPath() {
            return "/operator/users/" + ownerId;
        }

        public String ownerStatusLabel() {
            return ConsoleQueries.statusLabel(ownerStatus);
        }
    }

    /** An account with its owner; one statement. */
    @Transactional
    public Optional<AccountSummary> account(Long accountId) {
        return Account.findWithOwner(accountId).map(a -> new AccountSummary(a.id, a.displayName,
                AccountColour.of(a.colour).cssClass(), a.createdAt, a.owner.id, a.owner.email, a.owner.displayName,
                a.owner.status, a.isBillable(YearMonth.from(time.now().atZone(ZoneOffset.UTC))),
                a.hasPaymentMethod() ? a.cardBrand + " ending " + a.cardLast4 + ", expires " + a.cardExpMonth + "/"
                        + a.cardExpYear : null));
    }

    public record InfrastructureLine(Long id, String label, String description, Infrastructure.Status status,
            Instant createdAt, Instant deployedAt) {

        public String statusClass() {
            return status.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The account's infrastructures, deleted ones too (kept for the usage history), by name. */
    @Transactional
    public Page<InfrastructureLine> infrastructures(Long accountId, int requestedPage, int size) {
        Page<Infrastructure> page = Page.of(Infrastructure.find("account.id = ?1 order by lower(label), id",
                accountId), requestedPage, size);
        return new Page<>(page.items().stream().map(i -> new InfrastructureLine(i.id, i.label, i.description, i.status,
                i.createdAt, i.deployedAt)).toList(), page.number(), page.size(), page.total());
    }

    static String statusLabel(User.Status status) {
        return switch (status) {
            case ACTIVE -> "Active";
            case PENDING_ACTIVATION -> "Waiting for activation";
            case DISABLED -> "Disabled";
        };
    }

    private static Long number(String text) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(text);
    }
}
