package io.dap.portal.apitoken;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.ApiCaller;
import io.dap.portal.access.Grant;
import io.dap.portal.access.ReachableAccounts;
import io.dap.portal.access.Rights;
import io.dap.portal.access.Role;
import io.dap.portal.access.SessionUser;
import io.dap.portal.account.Account;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.limit.LimitedAction;
import io.dap.portal.limit.Limits;
import io.dap.portal.mail.Emails;
import io.dap.portal.notification.Notification;
import io.dap.portal.session.LoginService;
import io.dap.portal.session.SignOutEverywhere;
import io.dap.portal.twofactor.TwoFactorService;
import io.dap.portal.user.User;
import io.dap.portal.web.ClientAddress;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.InList;
import io.dap.portal.web.Page;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.SingleLineText;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.Times;
import io.dap.portal.web.Tokens;

/**
 * API tokens (R14): created by a signed-in user, shown once, stored as a SHA-256 hash, resolved on
 * every API call. A token acts as its creator: what it may do is decided by AccessPolicy from the
 * creator's live grants, narrowed to one account for a Restricted token.
 */
@ApplicationScoped
public class ApiTokenService {

    public static final String PREFIX = "dap_";
    public static final int MAX_NAME = 100;
    static final int DEFAULT_LIFETIME_DAYS = 90;
    /** last_used_at is written at most this often, not on every call. */
    private static final Duration TOUCH_GRANULARITY = Duration.ofMinutes(1);

    @Inject
    TimeSource time;

    @Inject
    PortalConfig config;

    @Inject
    AuditLog audit;

    @Inject
    LoginService login;

    @Inject
    ClientAddress clientAddress;

    @Inject
    AccessPolicy policy;

    @Inject
    Emails emails;

    @Inject
    TwoFactorService twoFactor;

    @Inject
    Limits limits;

    @Inject
    ReachableAccounts reachable;

    public record Resolved(SessionUser user, ApiCaller.Token token) {
    }

    /** An account the user can act in now: their own, or one where they hold an active grant. */
    public record ActingAccount(Long id, String name, String ownerName, String ownerEmail, String role,
            Map<Long, Role> infrastructureRoles, boolean own) {

        public String idText() {
            return id.toString();
        }

        public String optionLabel() {
            return own ? name + " (your account)" : name + " (" + ownerEmail + ")";
        }
    }

    public sealed interface CreateResult {
    }

    public record Created(Long id, String name, String scopeText, Instant expiresAt, String secret)
            implements CreateResult {
    }

    /** The same form was sent again (a double click, a reload): its token exists already. */
    public record AlreadyCreated() implements CreateResult {
    }

    public record Refused(FormErrors errors, Map<String, String> values) implements CreateResult {
    }

    public record TokenRow(Long id, String name, String prefix, String scopeText, Instant createdAt,
            Instant expiresAt, Instant lastUsedAt, String lastUsedAddress, String status) {

        public boolean active() {
            return "Active".equals(status);
        }

        public String revokeAction() {
            return "/settings/api-tokens/" + id + "/revoke";
        }

        public String statusClass() {
            return status.toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The identity behind a presented secret, or null: unknown, revoked, expired, or its creator disabled. */
    @Transactional
    public Resolved resolve(String secret, String clientAddress) {
        // Always one hash and one indexed lookup, whatever was presented: no shortcut that timing could tell.
        ApiToken token = ApiToken.findWithUser(Tokens.sha256(secret));
        Instant now = time.now();
        if (token == null || !token.isUsable(now) || !token.user.isActive()) {
            return null;
        }
        if (token.lastUsedAt == null || token.lastUsedAt.plus(TOUCH_GRANULARITY).isBefore(now)) {
            // A targeted update, never a rewrite of the row: a revocation committed meanwhile must stay.
            ApiToken.update("lastUsedAt = ?1, lastUsedAddress = ?2 where id = ?3 and revokedAt is null", now,
                    clientAddress == null || clientAddress.length() <= 64 ? clientAddress
                            : clientAddress.substring(0, 64), token.id);
        }
        User user = token.user;
        return new Resolved(SessionUser.forApiToken(user.id, user.email, user.displayName, Account.idOwnedBy(user.id)),
                new ApiCaller.Token(token.id, token.name, token.scope == ApiToken.Scope.GLOBAL, token.account == null ? null : token.account.id));
    }

    /** The accounts the user can act in, own first, for the Restricted scope's choice (at most {@link #CHOICES}). */
    @Transactional
    public List<ActingAccount> actingAccounts(Long userId) {
        return actingAccounts(userId, null, 1, CHOICES).items();
    }

    /**
     * The token form lists this many accounts at most (a longer list is no choice); what it posts is
     * checked against every account the user can act in, listed or not.
     */
    static final int CHOICES = 500;

    /**
     * One page of the accounts the user can act in (ReachableAccounts): their own first, then the
     * shared ones in account order; narrowed to one account for a Restricted token. Four statements
     * whatever the number of grants: the total, the page's ids, its accounts and its grants (for the roles).
     */
    @Transactional
    public Page<ActingAccount> actingAccounts(Long userId, Long onlyAccountId, int requestedPage, int size) {
        Instant now = time.now();
        Long ownId = Account.idOwnedBy(userId);
        List<Long> ids;
        long total;
        int number;
        if (onlyAccountId != null) {
            boolean reached = reachable.reaches(userId, onlyAccountId, now);
            total = reached ? 1 : 0;
            number = Page.clampNumber(requestedPage, total, size);
            ids = reached && number == 1 ? List.of(onlyAccountId) : List.of();
        } else {
            total = 1 + reachable.sharedCount(userId, now);
            number = Page.clampNumber(requestedPage, total, size);
            // Position 0 is the user's own account; position p > 0 is the (p - 1)th shared one.
            int first = (number - 1) * size;
            List<Long> shared = reachable.shared(userId, "", Math.max(0, first - 1), first == 0 ? size - 1 : size, now);
            ids = new ArrayList<>();
            if (first == 0) {
                ids.add(ownId);
            }
            ids.addAll(shared);
        }
        Map<Long, Account> accounts = new HashMap<>();
        if (!ids.isEmpty()) {
            InList inIds = InList.of("account", ids);
            Account.<Account>list("select a from Account a join fetch a.owner where a.id in " + inIds.sql(),
                    inIds.parameters()).forEach(a -> accounts.put(a.id, a));
        }
        List<Long> shared = ids.stream().filter(id -> !id.equals(ownId)).toList();
        Map<Long, Rights> rights = shared.isEmpty() ? Map.of()
                : Grant.rightsByAccount(Grant.activeIn(shared, userId, now));
        List<ActingAccount> items = ids.stream().map(accounts::get).map(a -> {
            boolean own = a.id.equals(ownId);
            Rights there = own ? Rights.owner() : rights.getOrDefault(a.id, Rights.none());
            Role accountRole = there.accountRole();
            return new ActingAccount(a.id, a.displayName, a.owner.displayName, a.owner.email,
                    accountRole != null ? accountRole.name() : "INFRASTRUCTURE_DELEGATE",
                    there.addedInfrastructureRoles(), own);
        }).toList();
        return new Page<>(items, number, size, total);
    }

    /** One page of the user's tokens, newest first: two statements whatever their number. */
    @Transactional
    public Page<TokenRow> list(Long userId, int requestedPage, int size) {
        Instant now = time.now();
        Page<ApiToken> page = Page.of(ApiToken.ofUser(userId), requestedPage, size);
        return new Page<>(page.items().stream().map(t -> new TokenRow(t.id, t.name, t.displayPrefix, scopeText(t),
                t.createdAt, t.expiresAt, t.lastUsedAt, t.lastUsedAddress,
                t.revokedAt != null ? "Revoked" : t.isUsable(now) ? "Active" : "Expired")).toList(), page.number(),
                page.size(), page.total());
    }

    /** The user's usable tokens that expire within the given time, soonest first: the dashboard's reminder. */
    @Transactional
    public Page<TokenRow> expiringSoon(Long userId, Duration within, int size) {
        Instant now = time.now();
        Page<ApiToken> page = Page.of(ApiToken.find("select t from ApiToken t left join fetch t.account"
                + " where t.user.id = ?1 and t.revokedAt is null and t.expiresAt > ?2 and t.expiresAt <= ?3"
                + " order by t.expiresAt, t.id", userId, now, now.plus(within)), 1, size);
        return new Page<>(page.items().stream().map(t -> new TokenRow(t.id, t.name, t.displayPrefix, scopeText(t),
                t.createdAt, t.expiresAt, t.lastUsedAt, t.lastUsedAddress, "Active")).toList(), page.number(),
                page.size(), page.total());
    }

    /** The expiry the form suggests, and the latest one it accepts (inclusive dates, UTC). */
    public LocalDate defaultExpiry() {
        return today().plusDays(Math.min(DEFAULT_LIFETIME_DAYS, maxLifetimeDays()));
    }

    public LocalDate latestExpiry() {
        return today().plusDays(maxLifetimeDays());
    }

    public boolean noExpiryAllowed() {
        return config.apiTokens().allowNoExpiry();
    }

    /**
     * Checks the form and creates the token. A Global token needs the creator's password: it reaches
     * every account they can act in, now and later. The secret leaves this method once, in the result.
     */
    @Transactional
    public CreateResult create(SessionUser me, String rawName, String rawScope, String rawAccount, String rawExpires,
            String noExpiry, String password, String code, String formOnce) {
        String onceHash = Tokens.looksLikeToken(formOnce) ? Tokens.sha256(formOnce) : null;
        if (onceHash != null && ApiToken.count("formOnceHash", onceHash) > 0) {
            return new AlreadyCreated();
        }
        SingleLineText typedName = SingleLineText.of(rawName, MAX_NAME);
        String name = typedName.value();
        String expires = rawExpires == null ? "" : rawExpires.strip();
        FormErrors errors = new FormErrors();
        if (name.isEmpty()) {
            errors.add("name", "Give the token a name, e.g. the script that uses it.");
        } else {
            typedName.check(errors, "name");
        }
        ApiToken.Scope scope = "GLOBAL".equals(rawScope) ? ApiToken.Scope.GLOBAL
                : "RESTRICTED".equals(rawScope) ? ApiToken.Scope.RESTRICTED : null;
        if (scope == null) {
            errors.add("scope", "Choose a scope.");
        }
        Account account = null;
        if (scope == ApiToken.Scope.RESTRICTED) {
            Long accountId = parseId(rawAccount);
            boolean actsThere = accountId != null && reachable.reaches(me.userId(), accountId, time.now());
            if (actsThere) {
                account = Account.findById(accountId);
            } else {
                errors.add("account", "Choose an account you can act in.");
            }
        }
        Instant expiresAt = expiry(expires, "on".equals(noExpiry), errors);
        if (scope == ApiToken.Scope.GLOBAL) {
            User user = User.findById(me.userId());
            boolean askCode = twoFactor.enabledFor(user.id);
            if (password == null || password.isEmpty()) {
                errors.add("password", "Enter your password to create a Global token.");
            }
            if (askCode && (code == null || code.isBlank())) {
                errors.add("code", "Enter the code your authenticator app shows now to create a Global token.");
            }
            if (!errors.has("password") && !errors.has("code")) {
                // Counted with sign-in failures, so this form cannot be used to guess the password or the code.
                LoginService.Result checked = login.confirmPassword(user, password, clientAddress.value());
                if (checked instanceof LoginService.Throttled) {
                    errors.add("password", "Too many wrong passwords. Wait a few minutes and try again.");
                } else if (!(checked instanceof LoginService.Confirmed)) {
                    errors.add("password", "This is not your current password.");
                    audit.record(user, AuditAction.LOGIN_FAILED, Outcome.FAILURE, null,
                            "wrong password re-entered to create a Global API token");
                } else if (askCode) {
                    LoginService.Result coded = login.confirmCode(user, code, clientAddress.value(),
                            "creating a Global API token");
                    if (coded instanceof LoginService.Throttled) {
                        errors.add("code", "Too many wrong codes. Wait a few minutes and try again.");
                    } else if (!(coded instanceof LoginService.Confirmed)) {
                        errors.add("code", "That code is not right, or was already used.");
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            return new Refused(errors, Map.of("name", name, "scope", rawScope == null ? "" : rawScope, "account",
                    rawAccount == null ? "" : rawAccount, "expires", expires));
        }
        // A valid form counts against the creator's allowance (R20); past it, nothing is created.
        limits.check(LimitedAction.API_TOKEN, null);
        String secret = PREFIX + Tokens.newToken();
        ApiToken token = new ApiToken();
        token.user = User.getEntityManager().getReference(User.class, me.userId());
        token.name = name;
        token.scope = scope;
        token.account = account;
        token.tokenHash = Tokens.sha256(secret);
        token.displayPrefix = secret.substring(0, PREFIX.length() + 6);
        token.createdAt = time.now();
        token.expiresAt = expiresAt;
        token.formOnceHash = onceHash;
        token.persist();
        // Two clicks racing past the check above meet the unique index here, inside this method.
        ApiToken.flush();
        audit.record(me.userId(), me.email(), AuditAction.API_TOKEN_CREATED, Outcome.SUCCESS, target(token),
                scopeText(token) + (expiresAt == null ? ", no expiry" : ", expires " + expiresAt));
        return new Created(token.id, token.name, scopeText(token), token.expiresAt, secret);
    }

    /** One page of the user's tokens that still work, newest first: what to review after a password change. */
    @Transactional
    public Page<TokenRow> listActive(Long userId, int requestedPage, int size) {
        Instant now = time.now();
        Page<ApiToken> page = Page.of(ApiToken.find("select t from ApiToken t left join fetch t.account"
                + " where t.user.id = ?1 and t.revokedAt is null and (t.expiresAt is null or t.expiresAt > ?2)"
                + " order by t.createdAt desc, t.id desc", userId, now), requestedPage, size);
        return new Page<>(page.items().stream().map(t -> new TokenRow(t.id, t.name, t.displayPrefix, scopeText(t),
                t.createdAt, t.expiresAt, t.lastUsedAt, t.lastUsedAddress, "Active")).toList(), page.number(),
                page.size(), page.total());
    }

    /** Every token of the user stops at once: one conditional update, audited once with the count. */
    @Transactional
    public int revokeAllOf(Long userId, String email) {
        int revoked = ApiToken.update("revokedAt = ?1 where user.id = ?2 and revokedAt is null", time.now(), userId);
        if (revoked > 0) {
            audit.record(userId, email, AuditAction.API_TOKENS_REVOKED_ALL, Outcome.SUCCESS, null,
                    revoked + (revoked == 1 ? " token" : " tokens"));
        }
        return revoked;
    }

    /** "Sign out everywhere" with its box ticked: the tokens go in the same transaction as the sessions. */
    void onSignOutEverywhere(@Observes SignOutEverywhere signOut) {
        if (signOut.apiTokensToo()) {
            revokeAllOf(signOut.userId(), signOut.email());
        }
    }

    public enum Revocation { REVOKED, ALREADY_ENDED, NOT_FOUND }

    /** One click, final; another user's token id is simply not found. */
    @Transactional
    public Revocation revoke(SessionUser me, Long tokenId) {
        ApiToken token = ApiToken.find("id = ?1 and user.id = ?2", tokenId, me.userId()).firstResult();
        if (token == null) {
            return Revocation.NOT_FOUND;
        }
        // Conditional: two tabs revoking at once revoke (and audit) once.
        if (ApiToken.update("revokedAt = ?1 where id = ?2 and revokedAt is null", time.now(), token.id) != 1) {
            return Revocation.ALREADY_ENDED;
        }
        audit.record(me.userId(), me.email(), AuditAction.API_TOKEN_REVOKED, Outcome.SUCCESS, target(token), null);
        return Revocation.REVOKED;
    }

    /** A token that can act in an account through its creator's access there, as the account's owner sees it. */
    public record ReachingToken(Long id, Long creatorId, String name, String prefix, String scopeText,
            Instant createdAt, Instant expiresAt, Instant lastUsedAt) {
    }

    /**
     * The usable tokens of these people that reach this account: Restricted to it, or Global. One
     * statement; whether the creator still holds access there is the caller's question.
     */
    @Transactional
    public List<ReachingToken> reaching(Long accountId, Collection<Long> creatorIds) {
        if (creatorIds.isEmpty()) {
            return List.of();
        }
        Instant now = time.now();
        InList creators = InList.of("creator", creatorIds);
        Map<String, Object> parameters = creators.parametersWith(Map.of("now", now,
                "global", ApiToken.Scope.GLOBAL, "account", accountId));
        return ApiToken.<ApiToken>list("select t from ApiToken t left join fetch t.account a where t.user.id in "
                + creators.sql() + " and t.revokedAt is null and (t.expiresAt is null or t.expiresAt > :now)"
                + " and (t.scope = :global or a.id = :account) order by t.createdAt desc, t.id desc", parameters).stream()
                .map(t -> new ReachingToken(t.id, t.user.id, t.name, t.displayPrefix, scopeText(t), t.createdAt,
                        t.expiresAt, t.lastUsedAt)).toList();
    }

    /**
     * The owner revokes a delegate's token that can act in their account (a Global one stops
     * everywhere: a token cannot be narrowed after the fact). Anything else is not found. The
     * delegate is told by mail and in the portal.
     */
    @Transactional
    public Revocation revokeReaching(AccountAccess access, Long tokenId) {
        ApiToken token = ApiToken.find("select t from ApiToken t join fetch t.user left join t.account a"
                + " where t.id = ?1 and t.user.id <> ?2 and (t.scope = ?3 or a.id = ?4)", tokenId, access.ownerId(),
                ApiToken.Scope.GLOBAL, access.accountId()).firstResult();
        if (token == null || policy.rightsOf(token.user.id, access.accountId()).isEmpty()) {
            return Revocation.NOT_FOUND;
        }
        Instant now = time.now();
        if (ApiToken.update("revokedAt = ?1 where id = ?2 and revokedAt is null", now, token.id) != 1) {
            return Revocation.ALREADY_ENDED;
        }
        audit.entry(access.actor().userId(), access.actor().email(), AuditAction.API_TOKEN_REVOKED, Outcome.SUCCESS)
                .inAccount(access.accountId()).about(token.user.id).target(target(token))
                .detail("a delegate's token, revoked by the account's owner").record();
        String by = access.actor().displayName() + " (" + access.actor().email() + ")";
        String what = "the account of " + access.accountName();
        Notification.send(token.user.id, by + " revoked your API token " + token.name + ", which could act in "
                + what + ".", "/settings/api-tokens", now);
        emails.apiTokenRevoked(token.user, by, token.name, what);
        return Revocation.REVOKED;
    }

    private Instant expiry(String raw, boolean none, FormErrors errors) {
        if (none) {
            if (!noExpiryAllowed()) {
                errors.add("expires", "Tokens must expire: choose a date.");
            }
            return null;
        }
        if (raw.isEmpty()) {
            errors.add("expires", "Choose an expiry date.");
            return null;
        }
        LocalDate date = Times.parseDay(raw).orElse(null);
        if (date == null) {
            errors.add("expires", "Enter a date like " + defaultExpiry() + ".");
            return null;
        }
        if (date.isBefore(today())) {
            errors.add("expires", "Choose today or a later date.");
            return null;
        }
        if (date.isAfter(latestExpiry())) {
            errors.add("expires", "Choose " + latestExpiry() + " or earlier: tokens last at most "
                    + maxLifetimeDays() + " days.");
            return null;
        }
        // Inclusive: the token works until the end of that day, UTC.
        return date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private long maxLifetimeDays() {
        return Math.max(1, config.apiTokens().maxLifetime().toDays());
    }

    private LocalDate today() {
        return LocalDate.ofInstant(time.now(), ZoneOffset.UTC);
    }

    private static Long parseId(String raw) {
        try {
            long id = Long.parseLong(raw == null ? "" : raw.strip());
            return id > 0 ? id : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String scopeText(ApiToken token) {
        return token.scope == ApiToken.Scope.GLOBAL ? "Global"
                : "Restricted to " + token.account.displayName;
    }

    private static String target(ApiToken token) {
        return "API token " + token.id + " (" + token.name + ")";
    }
}
