package io.dap.portal.session;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import io.dap.portal.access.CurrentUser;
import io.dap.portal.account.Account;
import io.dap.portal.invitation.Invitation;
import io.dap.portal.twofactor.TwoFactorService;
import io.dap.portal.user.User;
import io.dap.portal.web.ClientAddress;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.Tokens;

/**
 * What follows proof of who someone is (their password, or a link that proved their address):
 * a session, or first the code step when they have a second factor (R19). The code step is bound
 * to a short-lived server-side row, never to a session, so half a sign-in opens nothing.
 */
@ApplicationScoped
public class SignInFlow {

    /** The cookie of the half-signed-in state; sent to the sign-in pages only. */
    public static final String PENDING_COOKIE = "portal_sign_in";

    @Inject
    SessionService sessions;

    @Inject
    LoginService logins;

    @Inject
    TwoFactorService twoFactor;

    @Inject
    ClientAddress client;

    @Inject
    PortalConfig config;

    @Inject
    TimeSource time;

    @Inject
    CurrentUser currentUser;

    public sealed interface CodeStep {
    }

    public record Passed(User user, String destination, boolean recoveryCode) implements CodeStep {
    }

    public record WrongCode() implements CodeStep {
    }

    public record Throttled(Duration retryAfter) implements CodeStep {
    }

    /** No live half-signed-in state behind the cookie: too late, already used, or never started. */
    public record Expired() implements CodeStep {
    }

    /** After the password, or a reset link: straight in, or the code page first. */
    @Transactional
    public Response proceed(User user, String destination, String how) {
        if (!twoFactor.enabledFor(user.id)) {
            return complete(user, destination, how);
        }
        String raw = Tokens.newToken();
        Instant now = time.now();
        PendingSignIn pending = new PendingSignIn();
        pending.user = user;
        pending.tokenHash = Tokens.sha256(raw);
        pending.destination = destination;
        pending.clientAddress = client.value();
        pending.createdAt = now;
        pending.expiresAt = now.plus(config.twoFactor().signInTimeout());
        pending.persist();
        return Response.seeOther(URI.create("/login/code"))
                .header(HttpHeaders.SET_COOKIE, pendingCookie(raw, (int) config.twoFactor().signInTimeout().toSeconds()))
                .build();
    }

    /** Whether the cookie stands for a live half-signed-in state (the code page's GET; changes nothing). */
    @Transactional
    public boolean pending(String rawPending) {
        return Tokens.looksLikeToken(rawPending)
                && PendingSignIn.count("tokenHash = ?1 and expiresAt > ?2", Tokens.sha256(rawPending), time.now()) > 0;
    }

    /** The code step: a right code spends the half-signed-in state, so it signs in once. */
    @Transactional(dontRollbackOn = RuntimeException.class)
    public CodeStep confirmCode(String rawPending, String code) {
        if (!Tokens.looksLikeToken(rawPending)) {
            return new Expired();
        }
        PendingSignIn pending = PendingSignIn.findLive(Tokens.sha256(rawPending), time.now());
        if (pending == null) {
            return new Expired();
        }
        LoginService.Result result = logins.confirmCode(pending.user, code, client.value(), "sign-in");
        if (result instanceof LoginService.Throttled throttled) {
            return new Throttled(throttled.retryAfter());
        }
        if (!(result instanceof LoginService.Confirmed confirmed)) {
            return new WrongCode();
        }
        pending.delete();
        return new Passed(pending.user, pending.destination, confirmed.recoveryCode());
    }

    /** A session for this browser: its cookie set, the half-signed-in cookie cleared. */
    @Transactional
    public Response complete(User user, String destination, String how) {
        // A browser holds one session: whoever was signed in here before is signed out.
        if (currentUser.signedIn()) {
            sessions.end(currentUser.get());
        }
        logins.completed(user, client.value(), how);
        String raw = sessions.create(user, client.value(), client.userAgent());
        return Response.seeOther(URI.create(destination)).header(HttpHeaders.SET_COOKIE, sessionCookie(raw, -1))
                .header(HttpHeaders.SET_COOKIE, pendingCookie("", 0)).build();
    }

    /** Where someone lands once their address is proved: the dashboard with the invitations waiting on top, if any. */
    @Transactional
    public String landingAfterActivation(Long userId) {
        return Invitation.waitingFor(userId, time.now()) > 0 ? "/"
                : "/accounts/" + Account.idOwnedBy(userId) + "/infrastructures";
    }

    public NewCookie sessionCookie(String value, int maxAge) {
        return new NewCookie.Builder(config.session().cookieName()).value(value).path("/").maxAge(maxAge)
                .httpOnly(true).secure(config.https()).sameSite(NewCookie.SameSite.LAX).build();
    }

    public NewCookie pendingCookie(String value, int maxAge) {
        return new NewCookie.Builder(PENDING_COOKIE).value(value).path("/login").maxAge(maxAge).httpOnly(true)
                .secure(config.https()).sameSite(NewCookie.SameSite.LAX).build();
    }
}
