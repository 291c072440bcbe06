package io.dap.portal.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.persistence.EntityManager;

import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.infrastructure.InfrastructureService;
import io.dap.portal.sharing.GrantLifecycle;
import io.dap.portal.sharing.InvitationAnswers;
import io.dap.portal.sharing.Shared;
import io.dap.portal.sshkey.DriveKey;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.PortalConfig;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;

/**
 * The property behind {@link AccessModelPropertyTest}: random sequences of sharing operations
 * over five people, three accounts and their infrastructures, driven through the real services
 * (in the running application, gated by AccessPolicy the way the resources gate them), compared
 * after every step with {@link AccessModel} for every person, account, infrastructure and action.
 * Not a test class of its own: jqwik runs it inside the Quarkus test, where the beans live.
 */
class AccessModelProperties {

    static final int PEOPLE = 5;
    static final int ACCOUNTS = 3;
    static final int MAX_INFRASTRUCTURES = 3;
    static final List<Role> ROLES = List.of(Role.ACCOUNT_ADMINISTRATOR, Role.ACCOUNT_BILLING, Role.ACCOUNT_READ_ONLY,
            Role.INFRASTRUCTURE_ADMINISTRATOR, Role.INFRASTRUCTURE_READ_ONLY);

    /** The clock every try moves forward; installed by the Quarkus test. */
    static MutableClock clock;

    /** Over the whole run: how many grants went live and how many steps were compared, so a degenerate generator shows. */
    static final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    static final java.util.concurrent.atomic.AtomicInteger steps = new java.util.concurrent.atomic.AtomicInteger();
    /** Steps at which someone held an account-wide and an infrastructure grant in one account (R16's case). */
    static final java.util.concurrent.atomic.AtomicInteger unions = new java.util.concurrent.atomic.AtomicInteger();

    // The operations, by index so that shrinking keeps them meaningful; printed as the counterexample.
    sealed interface Op {
    }

    /** {@code infrastructure} < 0: account-wide; {@code role} indexes ROLES (wrapped into the scope). */
    record Invite(int actor, int account, int infrastructure, int invitee, int role, int endsInDays) implements Op {
    }

    record Accept(int grant) implements Op {
    }

    /** An invitation accepted at once by the invited person: the common case, as one step. */
    record Share(Invite invite) implements Op {
    }

    record Decline(int grant) implements Op {
    }

    /** Someone else opens the invitation: refused, and it stays usable (R8). */
    record AcceptByWrongPerson(int grant, int person) implements Op {
    }

    record Cancel(int actor, int grant) implements Op {
    }

    record Resend(int actor, int grant) implements Op {
    }

    record Revoke(int actor, int grant, boolean endEvery) implements Op {
    }

    record Leave(int grant) implements Op {
    }

    record ChangeRole(int actor, int grant, int role) implements Op {
    }

    record PassTime(int hours) implements Op {
    }

    record CreateInfrastructure(int actor, int account) implements Op {
    }

    record Deploy(int actor, int account, int infrastructure) implements Op {
    }

    /** An actor: {@code OWNER} (-1) stands for the owner of the account the operation is about. */
    static final int OWNER = -1;

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> person = Arbitraries.integers().between(0, PEOPLE - 1);
        // Most operations are tried by the one who may do them, the rest by anyone (refusals matter too).
        Arbitrary<Integer> actor = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(OWNER)), Tuple.of(1, person));
        Arbitrary<Integer> account = Arbitraries.integers().between(0, ACCOUNTS - 1);
        // Grants are named from the newest (0) back, so an answer tends to follow its invitation.
        Arbitrary<Integer> slot = Arbitraries.integers().between(0, 5);
        // People 3 and 4 own no infrastructures here: mostly the ones invited, so grants pile up on them.
        Arbitrary<Integer> invitee = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.integers().between(0, 2)),
                Tuple.of(3, Arbitraries.of(3, 4)));
        Arbitrary<Op> invite = Combinators.combine(actor, account, Arbitraries.integers().between(-1, 2), invitee,
                Arbitraries.integers().between(0, ROLES.size() - 1), Arbitraries.of(0, 0, 1, 4, 10))
                .as(Invite::new);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(4, invite),
                Tuple.of(6, invite.map(i -> new Share((Invite) i))),
                Tuple.of(6, slot.map(Accept::new)),
                Tuple.of(1, slot.map(Decline::new)),
                Tuple.of(1, Combinators.combine(slot, person).as(AcceptByWrongPerson::new)),
                Tuple.of(1, Combinators.combine(actor, slot).as(Cancel::new)),
                Tuple.of(1, Combinators.combine(actor, slot).as(Resend::new)),
                Tuple.of(3, Combinators.combine(actor, slot, Arbitraries.of(true, false)).as(Revoke::new)),
                Tuple.of(1, slot.map(Leave::new)),
                Tuple.of(2, Combinators.combine(actor, slot, Arbitraries.integers().between(0, ROLES.size() - 1))
                        .as(ChangeRole::new)),
                Tuple.of(2, Arbitraries.of(1, 30, 24 * 3, 24 * 8).map(PassTime::new)),
                Tuple.of(1, Combinators.combine(actor, account).as(CreateInfrastructure::new)),
                Tuple.of(2, Combinators.combine(actor, account, slot).as(Deploy::new)));
        return op.list().ofMinSize(1).ofMaxSize(20);
    }

    // Random sequences only: jqwik's edge cases (all zeros, all minimums) would crowd out the mixes of grants that matter.
    // Full shrinking: a failure costs minutes of replays, and is printed as the shortest sequence that still fails.
    @Property(generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.FULL)
    void theServicesAnswerLikeTheModelAfterEveryStep(@ForAll("operations") List<Op> operations) {
        // One transaction per try, rolled back: every try starts from the same empty world.
        QuarkusTransaction.begin();
        try {
            new Run().play(operations);
        } finally {
            QuarkusTransaction.rollback();
        }
    }

    /** One try: the world, the model, and the real services. */
    static final class Run {

        final AccessPolicy policy = bean(AccessPolicy.class);
        final GrantLifecycle lifecycle = bean(GrantLifecycle.class);
        final InvitationAnswers answers = bean(InvitationAnswers.class);
        final InfrastructureService infrastructures = bean(InfrastructureService.class);
        final EntityManager entityManager = bean(EntityManager.class);
        final List<User> people = new ArrayList<>();
        final List<Long> accounts = new ArrayList<>();
        final AccessModel model;
        int step;

        Run() {
            Users users = bean(Users.class);
            Accounts fixtures = bean(Accounts.class);
            String key = publicKey();
            for (int p = 0; p < PEOPLE; p++) {
                User user = users.active("model-" + p);
                people.add(user);
                try {
                    fixtures.key(user, "key", key);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                if (p < ACCOUNTS) {
                    Long account = fixtures.accountOf(user);
                    fixtures.makeBillable(account);
                    accounts.add(account);
                }
            }
            int[] owners = new int[ACCOUNTS];
            for (int a = 0; a < ACCOUNTS; a++) {
                owners[a] = a;
            }
            model = new AccessModel(owners, bean(PortalConfig.class).invitation().tokenTtl(), clock.instant());
            for (int a = 0; a < ACCOUNTS; a++) {
                for (int i = 0; i < 2; i++) {
                    Infrastructure created = fixtures.infrastructure(accounts.get(a), people.get(a), "infra " + i);
                    model.infrastructures.get(a).add(created.id);
                }
            }
            compare();
        }

        void play(List<Op> operations) {
            for (Op op : operations) {
                step++;
                apply(op);
                // A new request reads everything afresh: nothing cached from the previous step.
                entityManager.flush();
                entityManager.clear();
                compare();
                steps.incrementAndGet();
                if (model.someoneHoldsBothScopes()) {
                    unions.incrementAndGet();
                }
            }
        }

        private void apply(Op op) {
            if (op instanceof Invite i) {
                invite(i);
            } else if (op instanceof Share share) {
                int before = model.grants.size();
                invite(share.invite());
                if (model.grants.size() > before) {
                    answer(0, true);
                }
            } else if (op instanceof Accept a) {
                answer(a.grant(), true);
            } else if (op instanceof Decline d) {
                answer(d.grant(), false);
            } else if (op instanceof AcceptByWrongPerson w) {
                wrongPerson(w);
            } else if (op instanceof Cancel c) {
                cancel(c);
            } else if (op instanceof Resend r) {
                resend(r);
            } else if (op instanceof Revoke r) {
                revoke(r);
            } else if (op instanceof Leave l) {
                leave(l);
            } else if (op instanceof ChangeRole c) {
                changeRole(c);
            } else if (op instanceof PassTime t) {
                clock.advance(Duration.ofHours(t.hours()));
                model.now = clock.instant();
            } else if (op instanceof CreateInfrastructure c) {
                createInfrastructure(c);
            } else if (op instanceof Deploy d) {
                deploy(d);
            }
        }

        private void invite(Invite raw) {
            Invite op = new Invite(who(raw.actor(), raw.account()), raw.account(), raw.infrastructure(), raw.invitee(),
                    raw.role(), raw.endsInDays());
            Long infrastructure = op.infrastructure() < 0 ? null
                    : pick(model.infrastructures.get(op.account()), op.infrastructure());
            Role role = scoped(op.role(), infrastructure == null ? Role.Scope.ACCOUNT : Role.Scope.INFRASTRUCTURE);
            Instant endsAt = op.endsInDays() == 0 ? null : clock.instant().plus(Duration.ofDays(op.endsInDays()));
            AccessModel.InviteOutcome expected = model.invite(op.actor(), op.account(), infrastructure, op.invitee(),
                    role);
            Optional<AccountAccess> access = access(op.actor(), op.account());
            boolean page = access.isPresent() && (infrastructure == null
                    ? access.get().can(Action.MANAGE_ACCOUNT_SHARING)
                    : access.get().sees(infrastructure) && access.get().can(Action.SHARE_INFRASTRUCTURE, infrastructure));
            check(expected != AccessModel.InviteOutcome.NOT_FOUND, page, "may reach the invite form of " + op);
            if (!page) {
                return;
            }
            GrantLifecycle.InviteResult result = lifecycle.invite(access.get(), new io.dap.portal.sharing.Invite(
                    infrastructure == null ? Role.Scope.ACCOUNT : Role.Scope.INFRASTRUCTURE, infrastructure,
                    people.get(op.invitee()).email, role, null, endsAt));
            check(expected == AccessModel.InviteOutcome.INVITED, result instanceof GrantLifecycle.Invited,
                    "invitation goes out for " + op + " (" + result + ")");
            if (result instanceof GrantLifecycle.Invited invited) {
                model.invited(invited.grant().id, op.account(), infrastructure, op.invitee(), role, endsAt);
            }
        }

        private void answer(int slot, boolean accept) {
            AccessModel.G grant = grant(slot);
            if (grant == null) {
                return;
            }
            Actor grantee = actor(grant.grantee);
            InvitationAnswers.Response response = accept ? answers.acceptById(grant.id, grantee)
                    : answers.declineById(grant.id, grantee);
            boolean expected = model.answerable(grant);
            check(expected, response == InvitationAnswers.Response.DONE, (accept ? "accept" : "decline") + " grant "
                    + grant.id);
            if (expected) {
                grant.status = accept ? AccessModel.Status.ACCEPTED : AccessModel.Status.DECLINED;
                if (accept) {
                    accepted.incrementAndGet();
                }
            }
        }

        private void wrongPerson(AcceptByWrongPerson op) {
            AccessModel.G grant = grant(op.grant());
            if (grant == null || op.person() == grant.grantee) {
                return;
            }
            InvitationAnswers.Response response = answers.acceptById(grant.id, actor(op.person()));
            check(false, response == InvitationAnswers.Response.DONE, "someone else accepts grant " + grant.id);
        }

        private void cancel(Cancel op) {
            AccessModel.G grant = grant(op.grant());
            Optional<AccountAccess> access = grant == null ? Optional.empty() : managing(who(op.actor(), grant), grant);
            if (access.isEmpty()) {
                return;
            }
            boolean done = lifecycle.cancel(access.get(), shared(grant), grant.id);
            check(grant.status == AccessModel.Status.PENDING, done, "cancel grant " + grant.id);
            if (done) {
                grant.status = AccessModel.Status.CANCELLED;
            }
        }

        private void resend(Resend op) {
            AccessModel.G grant = grant(op.grant());
            Optional<AccountAccess> access = grant == null ? Optional.empty() : managing(who(op.actor(), grant), grant);
            if (access.isEmpty()) {
                return;
            }
            boolean done = lifecycle.resend(access.get(), shared(grant), grant.id);
            check(grant.status == AccessModel.Status.PENDING, done, "resend grant " + grant.id);
            if (done) {
                grant.invitationExpires = model.now.plus(model.invitationTtl);
            }
        }

        private void revoke(Revoke op) {
            AccessModel.G grant = grant(op.grant());
            Optional<AccountAccess> access = grant == null ? Optional.empty() : managing(who(op.actor(), grant), grant);
            if (access.isEmpty()) {
                return;
            }
            GrantLifecycle.Revoked revoked = lifecycle.revoke(access.get(), shared(grant), grant.id, false,
                    op.endEvery(), false);
            int expected = model.revoke(who(op.actor(), grant), grant, op.endEvery()).size();
            assertEquals(expected, revoked.grants(), at("grants ended by " + op));
        }

        private void leave(Leave op) {
            AccessModel.G grant = grant(op.grant());
            if (grant == null) {
                return;
            }
            boolean done = answers.leave(grant.id, actor(grant.grantee));
            check(grant.status == AccessModel.Status.ACCEPTED, done, "leave grant " + grant.id);
            if (done) {
                grant.status = AccessModel.Status.LEFT;
            }
        }

        private void changeRole(ChangeRole op) {
            AccessModel.G grant = grant(op.grant());
            Optional<AccountAccess> access = grant == null ? Optional.empty() : managing(who(op.actor(), grant), grant);
            if (access.isEmpty()) {
                return;
            }
            Role role = scoped(op.role(), grant.infrastructure == null ? Role.Scope.ACCOUNT : Role.Scope.INFRASTRUCTURE);
            boolean done = lifecycle.changeRole(access.get(), shared(grant), grant.id, role);
            check(grant.open(), done, "change the role of grant " + grant.id);
            if (done) {
                grant.role = role;
            }
        }

        private void createInfrastructure(CreateInfrastructure raw) {
            CreateInfrastructure op = new CreateInfrastructure(who(raw.actor(), raw.account()), raw.account());
            Optional<AccountAccess> access = access(op.actor(), op.account());
            boolean allowed = access.isPresent() && access.get().can(Action.CREATE_INFRASTRUCTURE);
            check(model.hasAnything(op.actor(), op.account())
                    && model.allows(op.actor(), op.account(), Action.CREATE_INFRASTRUCTURE), allowed,
                    "may create an infrastructure: " + op);
            if (allowed && model.infrastructures.get(op.account()).size() < MAX_INFRASTRUCTURES) {
                Infrastructure created = infrastructures.create(access.get(), "made by " + op.actor(), "", null);
                model.infrastructures.get(op.account()).add(created.id);
            }
        }

        /** Deploys a new drive: it receives the keys of exactly the model's holders (R11 with R16). */
        private void deploy(Deploy raw) {
            Deploy op = new Deploy(who(raw.actor(), raw.account()), raw.account(), raw.infrastructure());
            Long infrastructure = pick(model.infrastructures.get(op.account()), op.infrastructure());
            Optional<AccountAccess> access = access(op.actor(), op.account());
            boolean allowed = access.isPresent() && access.get().sees(infrastructure)
                    && access.get().can(Action.DEPLOY, infrastructure);
            check(model.sees(op.actor(), op.account(), infrastructure)
                    && model.allows(op.actor(), op.account(), Action.DEPLOY, infrastructure), allowed,
                    "may deploy: " + op);
            if (!allowed) {
                return;
            }
            Drive drive = infrastructures.addDrive(access.get(), infrastructure, "drive " + step, 10);
            InfrastructureService.DeployResult result = infrastructures.deploy(access.get(), infrastructure);
            check(true, result instanceof InfrastructureService.Deployed, "deploy " + op + " (" + result + ")");
            Set<Integer> keyed = new TreeSet<>();
            DriveKey.<DriveKey>list("drive.id", drive.id).forEach(k -> keyed.add(people.indexOf(person(k.user.id))));
            assertEquals(model.keyHolders(op.account(), infrastructure, PEOPLE), keyed,
                    at("keys on the drive provisioned by " + op));
        }

        /** Every person, account, infrastructure and action: the policy's answer against the model's. */
        private void compare() {
            for (int p = 0; p < PEOPLE; p++) {
                for (int a = 0; a < ACCOUNTS; a++) {
                    Optional<AccountAccess> access = access(p, a);
                    Rights rights = access.map(AccountAccess::rights).orElse(Rights.none());
                    String who = "person " + p + " in account " + a;
                    assertEquals(model.hasAnything(p, a), access.isPresent(), at(who + " resolves the account"));
                    for (Action action : AccessModel.ACCOUNT_ACTIONS) {
                        assertEquals(model.allows(p, a, action), rights.allows(action), at(who + " " + action));
                    }
                    for (Long infrastructure : model.infrastructures.get(a)) {
                        String where = who + " on infrastructure " + infrastructure;
                        assertEquals(model.sees(p, a, infrastructure), rights.sees(infrastructure), at(where + " sees"));
                        for (Action action : AccessModel.INFRASTRUCTURE_ACTIONS) {
                            assertEquals(model.allows(p, a, action, infrastructure),
                                    rights.allows(action, infrastructure), at(where + " " + action));
                        }
                    }
                }
            }
            for (int a = 0; a < ACCOUNTS; a++) {
                for (Long id : model.infrastructures.get(a)) {
                    Set<Integer> holders = new TreeSet<>();
                    policy.sshKeyHolders(Infrastructure.findById(id)).forEach(u -> holders.add(people.indexOf(person(u))));
                    assertEquals(model.keyHolders(a, id, PEOPLE), holders, at("SSH-key holders of " + id));
                }
            }
        }

        private int who(int actor, int account) {
            return actor == OWNER ? model.owners[account] : actor;
        }

        private int who(int actor, AccessModel.G grant) {
            return who(actor, grant.account);
        }

        /** The grant an index refers to among those made in this try, or none yet. */
        private AccessModel.G grant(int slot) {
            return model.grants.isEmpty() ? null
                    : model.grants.get(model.grants.size() - 1 - slot % model.grants.size());
        }

        /** The actor's access where the grant is managed, if the sharing page would exist for them. */
        private Optional<AccountAccess> managing(int actor, AccessModel.G grant) {
            Optional<AccountAccess> access = access(actor, grant.account);
            boolean page = access.isPresent() && (grant.infrastructure == null
                    ? access.get().can(Action.MANAGE_ACCOUNT_SHARING)
                    : access.get().sees(grant.infrastructure)
                            && access.get().can(Action.SHARE_INFRASTRUCTURE, grant.infrastructure));
            check(model.hasAnything(actor, grant.account) && model.mayManage(actor, grant), page,
                    "person " + actor + " manages grant " + grant.id);
            return page ? access : Optional.empty();
        }

        private Optional<AccountAccess> access(int person, int account) {
            return policy.accessFor(actor(person), accounts.get(account));
        }

        private Actor actor(int person) {
            User user = people.get(person);
            return new Actor(user.id, user.email, user.displayName);
        }

        private User person(Long userId) {
            return people.stream().filter(u -> u.id.equals(userId)).findFirst().orElseThrow();
        }

        private Shared shared(AccessModel.G grant) {
            return new Shared(accounts.get(grant.account), grant.infrastructure);
        }

        private void check(boolean expected, boolean actual, String what) {
            assertEquals(expected, actual, at(what));
        }

        private String at(String what) {
            return "step " + step + ": " + what;
        }

        private static Long pick(List<Long> ids, int index) {
            return ids.get(Math.floorMod(index, ids.size()));
        }

        private static Role scoped(int index, Role.Scope scope) {
            List<Role> roles = ROLES.stream().filter(r -> r.scope() == scope).toList();
            return roles.get(index % roles.size());
        }

        private static String publicKey() {
            try (var in = AccessModelProperties.class.getResourceAsStream("/sshkeys/ed25519.pub")) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static <T> T bean(Class<T> type) {
        return Arc.container().instance(type).get();
    }
}
