package io.dap.portal.operator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.NotFoundException;

import io.dap.portal.access.Actor;
import io.dap.portal.access.Operators;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.access.AuditContext;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.access.CurrentUser;
import io.dap.portal.access.SessionUser;
import io.dap.portal.twofactor.TwoFactor;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/**
 * R21, who may use the operator console: people named in {@code portal.operators} who sign in with
 * a second factor. To anyone else the console does not exist (404, before any page is even matched:
 * {@link ConsoleGate}); an operator without a second factor is sent to set one up. Being an operator
 * gives nothing in anyone's account: only the console's own, audited actions.
 */
@ApplicationScoped
public class OperatorPolicy {

    @Inject
    CurrentUser currentUser;

    @Inject
    Operators operators;

    @Inject
    AuditLog audit;

    @Inject
    AuditContext auditContext;

    @Inject
    CurrentVertxRequest request;

    /** The operator at the keyboard, for a console page or action: the first call of each of them. */
    @Transactional
    public Actor requireOperator() {
        SessionUser signedIn = requireNamedOperator();
        if (signedIn.supportSession()) {
            // The request speaks as the user now; the console waits until the operator stops.
            throw new ConsoleWhileActing(signedIn.email());
        }
        return new Actor(signedIn.userId(), signedIn.email(), signedIn.displayName());
    }

    /** The operator of this session's support session, for the confirmation of changes; else 404. */
    @Transactional
    public Actor requireActingOperator() {
        SessionUser signedIn = requireNamedOperator();
        if (!signedIn.supportSession()) {
            throw new NotFoundException();
        }
        return new Actor(signedIn.realUserId(), signedIn.realEmail(), null);
    }

    public boolean isOperator(SessionUser signedIn) {
        return operators.isOperator(signedIn.realEmail());
    }

    private SessionUser requireNamedOperator() {
        SessionUser signedIn = currentUser.get();
        if (!isOperator(signedIn)) {
            audit.recordRefusal(signedIn.realUserId(), signedIn.realEmail(), null, AuditAction.ACCESS_NOT_FOUND,
                    "operator console " + path());
            throw new NotFoundException();
        }
        auditContext.operator();
        if (!TwoFactor.enabledFor(signedIn.realUserId())) {
            audit.recordRefusal(signedIn.realUserId(), signedIn.realEmail(), null, AuditAction.ACCESS_FORBIDDEN,
                    "operator console " + path() + " (two-factor sign-in required)");
            throw new OperatorNeedsTwoFactor();
        }
        return signedIn;
    }

    private String path() {
        var context = request.getCurrent();
        return context == null ? "" : context.normalizedPath();
    }

    /** An operator who does not sign in with a second factor yet: the console sends them to set it up. */
    public static class OperatorNeedsTwoFactor extends RuntimeException {
        OperatorNeedsTwoFactor() {
            super("the operator console needs two-factor sign-in", null, false, false);
        }
    }

    /** The console while this session acts as a user: stop first. */
    public static class ConsoleWhileActing extends RuntimeException {
        private final String userEmail;

        ConsoleWhileActing(String userEmail) {
            super("acting as a user", null, false, false);
            this.userEmail = userEmail;
        }

        public String userEmail() {
            return userEmail;
        }
    }
}
