package io.dap.portal.support;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.apitoken.ApiToken;
import io.dap.portal.session.SessionService;
import io.dap.portal.session.UserSession;
import io.dap.portal.sshkey.SshKey;
import io.dap.portal.twofactor.Totp;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.Tokens;

/**
 * A small world for one route of the route walk, written directly: an owner (signed in by a session
 * row, no password check) with a billable account, an infrastructure with a drive, grants in both
 * scopes, a grant the owner received, an SSH key and a Global API token.
 */
@ApplicationScoped
public class WalkFixtures {

    public record World(User owner, Long account, Long infrastructure, Long drive, Long accountGrant,
            Long infrastructureGrant, Long receivedGrant, Long delegate, Long sshKey, Long apiToken, String secret,
            String session, Long sessionId) {
    }

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    SessionService sessions;

    @Inject
    OperatorFixtures operators;

    @Inject
    TimeSource time;

    /**
     * An operator of the test profile with a fresh second factor, signed in by a session row: the
     * walk's actor on the console's routes (R21), where anyone else only ever meets the 404.
     */
    public record Operator(User user, String session, byte[] secret) {

        /** The code the operator's authenticator shows at {@code at}. */
        public String code(Instant at) {
            return Totp.code(secret, Totp.step(at));
        }
    }

    public Operator operator(String clientAddress) {
        OperatorFixtures.Operator lead = operators.withTwoFactor(OperatorFixtures.LEAD);
        return new Operator(lead.user(), sessions.create(lead.user(), clientAddress, "route walk (operator)"),
                lead.secret());
    }

    public Instant now() {
        return time.now();
    }

    public World create(String clientAddress) {
        User owner = users.active("walk-owner");
        User delegate = users.active("walk-delegate");
        User other = users.active("walk-other");
        Long account = accounts.accountOf(owner);
        accounts.makeBillable(account);
        Infrastructure infrastructure = accounts.infrastructure(account, owner, "Walked");
        Drive drive = accounts.pendingDrive(infrastructure.id, "disk", 10);
        SshKey key;
        try {
            key = accounts.key(owner, "laptop", Accounts.fixtureKey("ed25519"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Long[] grants = grants(account, infrastructure.id, owner.id, delegate.id, accounts.accountOf(other), other.id);
        String secret = "dap_" + Tokens.newToken();
        Long token = token(owner.id, secret);
        String session = sessions.create(owner, clientAddress, "route walk");
        Long sessionId = sessionId(session);
        return new World(owner, account, infrastructure.id, drive.id, grants[0], grants[1], grants[2], delegate.id,
                key.id, token, secret, session, sessionId);
    }

    @Transactional
    Long[] grants(Long account, Long infrastructure, Long ownerId, Long delegateId, Long otherAccount, Long otherId) {
        Grant accountGrant = grant(account, Role.Scope.ACCOUNT, null, delegateId, Role.ACCOUNT_READ_ONLY,
                Grant.Status.ACCEPTED, ownerId);
        Grant infrastructureGrant = grant(account, Role.Scope.INFRASTRUCTURE, infrastructure, delegateId,
                Role.INFRASTRUCTURE_ADMINISTRATOR, Grant.Status.PENDING, ownerId);
        Grant received = grant(otherAccount, Role.Scope.ACCOUNT, null, ownerId, Role.ACCOUNT_READ_ONLY,
                Grant.Status.ACCEPTED, otherId);
        return new Long[] { accountGrant.id, infrastructureGrant.id, received.id };
    }

    private static Grant grant(Long account, Role.Scope scope, Long infrastructure, Long grantee, Role role,
            Grant.Status status, Long invitedBy) {
        Grant grant = new Grant();
        grant.account = Account.findById(account);
        grant.scope = scope;
        grant.infrastructure = infrastructure == null ? null : Infrastructure.findById(infrastructure);
        grant.grantee = User.findById(grantee);
        grant.role = role;
        grant.status = status;
        grant.invitedBy = User.findById(invitedBy);
        grant.invitedAt = Instant.now();
        grant.respondedAt = status == Grant.Status.ACCEPTED ? grant.invitedAt : null;
        grant.persist();
        return grant;
    }

    @Transactional
    Long token(Long ownerId, String secret) {
        ApiToken token = new ApiToken();
        token.user = User.findById(ownerId);
        token.name = "walk";
        token.scope = ApiToken.Scope.GLOBAL;
        token.tokenHash = Tokens.sha256(secret);
        token.displayPrefix = secret.substring(0, 10);
        token.createdAt = Instant.now();
        token.expiresAt = Instant.now().plusSeconds(86_400);
        token.persist();
        return token.id;
    }

    @Transactional
    Long sessionId(String rawSession) {
        return UserSession.<UserSession>find("tokenHash", Tokens.sha256(rawSession)).firstResult().id;
    }
}
