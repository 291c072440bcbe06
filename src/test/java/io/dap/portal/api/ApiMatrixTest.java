package io.dap.portal.api;

import static io.dap.portal.api.ApiFixtures.api;
import static io.dap.portal.api.ApiFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The page matrix of the sharing issues, through the JSON API (R3–R6, R15): every actor × action,
 * with a Global token each, on a fresh infrastructure per cell. A allowed and the effect is there,
 * F 403 and nothing changed, N 404 and nothing changed.
 */
@QuarkusTest
class ApiMatrixTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    ApiFixtures fixtures;

    enum Access { OWNER, ADMINISTRATOR, READ_ONLY, INFRASTRUCTURE_DELEGATE, OTHER_INFRASTRUCTURE_DELEGATE, STRANGER }

    enum Act { LIST, GET, CREATE, EDIT, ADD_DRIVE, DELETE, DEPLOY, GRANTS, INVITE, REVOKE, USAGE }

    /** Written by hand from DESIGN R3–R6 and R15, not read from Permissions. */
    private static final Map<Access, String> EXPECTED = new LinkedHashMap<>();

    static {
        //                                                LIST GET CREATE EDIT ADD_DRIVE DELETE DEPLOY GRANTS INVITE REVOKE USAGE
        EXPECTED.put(Access.OWNER,                         "A    A   A      A    A         A      A      A      A      A      A");
        EXPECTED.put(Access.ADMINISTRATOR,                 "A    A   A      A    A         A      A      A      A      A      A");
        EXPECTED.put(Access.READ_ONLY,                     "A    A   F      F    F         F      F      A      F      F      A");
        EXPECTED.put(Access.INFRASTRUCTURE_DELEGATE,       "A    A   F      F    A         F      A      A      F      F      F");
        // an Administrator of another infrastructure of the same account sees the account, never this one
        EXPECTED.put(Access.OTHER_INFRASTRUCTURE_DELEGATE, "N    N   F      N    N         N      N      N      N      N      F");
        EXPECTED.put(Access.STRANGER,                      "N    N   N      N    N         N      N      N      N      N      N");
    }

    record Actor(Access access, User user, String token) {
    }

    @Test
    void everyActorGetsThroughTheApiExactlyWhatThePagesAllow() {
        User owner = users.active("api-matrix-owner");
        Long account = accounts.accountOf(owner);
        accounts.makeBillable(account);
        User administrator = users.active("api-matrix-admin");
        User readOnly = users.active("api-matrix-read");
        User delegate = users.active("api-matrix-infra");
        User otherDelegate = users.active("api-matrix-other-infra");
        User stranger = users.active("api-matrix-stranger");
        User witness = users.active("api-matrix-witness");
        grants.direct(account, administrator, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        grants.direct(account, readOnly, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
        Infrastructure elsewhere = accounts.infrastructure(account, owner, "Elsewhere");
        fixtures.infrastructureGrant(elsewhere, otherDelegate, Role.INFRASTRUCTURE_ADMINISTRATOR);

        List<Actor> actors = List.of(new Actor(Access.OWNER, owner, fixtures.global(owner)),
                new Actor(Access.ADMINISTRATOR, administrator, fixtures.global(administrator)),
                new Actor(Access.READ_ONLY, readOnly, fixtures.global(readOnly)),
                new Actor(Access.INFRASTRUCTURE_DELEGATE, delegate, fixtures.global(delegate)),
                new Actor(Access.OTHER_INFRASTRUCTURE_DELEGATE, otherDelegate, fixtures.global(otherDelegate)),
                new Actor(Access.STRANGER, stranger, fixtures.global(stranger)));

        List<String> mismatches = new ArrayList<>();
        int cells = 0;
        for (Actor actor : actors) {
            String expected = EXPECTED.get(actor.access()).replace(" ", "");
            for (Act act : Act.values()) {
                // A fresh target per cell, with one pending drive and one witness grant on it.
                int n = SEQUENCE.incrementAndGet();
                Infrastructure target = accounts.infrastructure(account, owner, "Target " + n);
                accounts.pendingDrive(target.id, "disk", 10);
                Long witnessGrant = fixtures.infrastructureGrant(target, witness, Role.INFRASTRUCTURE_READ_ONLY);
                if (actor.access() == Access.INFRASTRUCTURE_DELEGATE) {
                    fixtures.infrastructureGrant(target, delegate, Role.INFRASTRUCTURE_ADMINISTRATOR);
                }
                String observed = perform(actor, act, account, target, witnessGrant, n);
                String wanted = expected.substring(act.ordinal(), act.ordinal() + 1);
                cells++;
                if (!observed.equals(wanted)) {
                    mismatches.add(actor.access() + " / " + act + ": expected " + wanted + ", got " + observed);
                }
            }
        }
        assertEquals(Access.values().length * Act.values().length, cells);
        assertEquals(List.of(), mismatches);
    }

    private String perform(Actor actor, Act act, Long account, Infrastructure target, Long witnessGrant, int n) {
        String base = "/api/v1/accounts/" + account;
        String one = base + "/infrastructures/" + target.id;
        String token = actor.token();
        switch (act) {
            case LIST -> {
                Response response = api(token).get(base + "/infrastructures?size=100");
                boolean shown = response.statusCode() == 200
                        && response.jsonPath().getList("items.label").contains(target.label);
                return outcome(response, 200, shown, !shown);
            }
            case GET -> {
                Response response = api(token).get(one);
                boolean ok = response.statusCode() == 200 && target.label.equals(response.jsonPath().get("label"))
                        && response.jsonPath().getList("drives").size() == 1;
                return outcome(response, 200, ok, true);
            }
            case CREATE -> {
                String label = "Api created " + n;
                Response response = json(token, Map.of("label", label, "description", "x"))
                        .post(base + "/infrastructures");
                List<Object[]> found = QuarkusTransaction.requiringNew().call(() -> Infrastructure.find(
                        "select i.account.id, i.createdBy.id from Infrastructure i where i.label = ?1", label)
                        .project(Object[].class).list());
                boolean created = found.size() == 1 && account.equals(found.get(0)[0])
                        && actor.user().id.equals(found.get(0)[1]);
                return outcome(response, 201, created, found.isEmpty());
            }
            case EDIT -> {
                Response response = json(token, Map.of("label", "Renamed " + n, "description", "y")).put(one);
                String label = infrastructure(target.id).label;
                return outcome(response, 200, label.equals("Renamed " + n), label.equals(target.label));
            }
            case ADD_DRIVE -> {
                Response response = json(token, Map.of("label", "extra", "sizeGb", 20)).post(one + "/drives");
                long drives = drives(target.id);
                return outcome(response, 201, drives == 2, drives == 1);
            }
            case DELETE -> {
                Response response = api(token).delete(one);
                Infrastructure.Status status = infrastructure(target.id).status;
                return outcome(response, 204, status == Infrastructure.Status.DELETED,
                        status == Infrastructure.Status.DRAFT);
            }
            case DEPLOY -> {
                Response response = api(token).contentType("application/json").post(one + "/deploy");
                Infrastructure.Status status = infrastructure(target.id).status;
                return outcome(response, 200, status == Infrastructure.Status.DEPLOYED
                        && response.jsonPath().getInt("provisioned") == 1, status == Infrastructure.Status.DRAFT);
            }
            case GRANTS -> {
                Response response = api(token).get(one + "/grants");
                boolean listed = response.statusCode() == 200
                        && response.jsonPath().getList("items.id", Long.class).contains(witnessGrant);
                return outcome(response, 200, listed, true);
            }
            case INVITE -> {
                String email = Users.uniqueEmail("api-invitee");
                Response response = json(token, Map.of("email", email, "role", "INFRASTRUCTURE_READ_ONLY"))
                        .post(one + "/grants");
                long made = QuarkusTransaction.requiringNew().call(() -> Grant.count(
                        "grantee.email = ?1 and infrastructure.id = ?2 and status = ?3", email, target.id,
                        Grant.Status.PENDING));
                return outcome(response, 201, made == 1, made == 0);
            }
            case REVOKE -> {
                Response response = api(token).delete(one + "/grants/" + witnessGrant);
                Grant.Status status = Grants.statusOf(witnessGrant);
                return outcome(response, 204, status == Grant.Status.REVOKED, status == Grant.Status.ACCEPTED);
            }
            case USAGE -> {
                Response response = api(token).get(base + "/usage");
                return outcome(response, 200, response.statusCode() == 200
                        && response.jsonPath().getList("months") != null, true);
            }
        }
        throw new IllegalStateException();
    }

    /** A when the expected success status came with its effect; F / N when refused with nothing changed. */
    private static String outcome(Response response, int success, boolean effect, boolean unchanged) {
        int status = response.statusCode();
        if (status == success && effect) {
            return "A";
        }
        boolean problem = response.contentType() != null
                && response.contentType().startsWith("application/problem+json");
        if (status == 403 && unchanged && problem) {
            return "F";
        }
        if (status == 404 && unchanged && problem) {
            return "N";
        }
        if (status == 200 && success == 200 && !effect && unchanged) {
            return "N"; // a list that does not show the target
        }
        return "?" + status + (effect ? "+effect" : "") + (unchanged ? "" : "+changed");
    }

    private static Infrastructure infrastructure(Long id) {
        return QuarkusTransaction.requiringNew().call(() -> Infrastructure.findById(id));
    }

    private static long drives(Long infrastructureId) {
        return QuarkusTransaction.requiringNew().call(() -> Drive.count("infrastructure.id = ?1 and status <> ?2",
                infrastructureId, Drive.Status.DELETED));
    }
}
