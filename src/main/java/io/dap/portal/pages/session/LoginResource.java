package io.dap.portal.pages.session;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.dap.portal.access.CurrentUser;
import io.dap.portal.session.LoginService;
import io.dap.portal.session.SessionService;
import io.dap.portal.session.SignInFlow;
import io.dap.portal.user.EmailAddress;
import io.dap.portal.web.ClientAddress;
import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.Redirects;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.runtime.LaunchMode;

@Path("/")
@Produces(MediaType.TEXT_HTML)
public class LoginResource {

    /** Shown on the dev login page only; the dev profile's demo users all have it. */
    public static final String DEMO_PASSWORD = "portal-demo-2026";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(String next, String demoPassword, String throttled);

        static native TemplateInstance code(String throttled);
    }

    @Inject
    LoginService logins;

    @Inject
    SignInFlow signIn;

    @Inject
    SessionService sessions;

    @Inject
    CurrentUser currentUser;

    @Inject
    ClientAddress client;

    @Inject
    Flash flash;

    @GET
    @Path("login")
    public TemplateInstance form(@RestQuery String next) {
        return Templates.login(Redirects.safeLocalPath(next, ""), demoPassword(), null);
    }

    @POST
    @Path("login")
    public Response login(@RestForm String email, @RestForm String password, @RestForm String next) {
        String normalised = EmailAddress.normalise(email);
        String destination = Redirects.safeLocalPath(next, "/dashboard");
        String back = next == null || next.isBlank() ? "/login"
                : "/login?next=" + URLEncoder.encode(destination, StandardCharsets.UTF_8);
        if (normalised.isEmpty() || normalised.length() > EmailAddress.MAX_LENGTH || password == null
                || password.isEmpty() || password.length() > 1000) {
            flash.form(new FormErrors(), Map.of("email", normalised));
            flash.error("Enter your email address and password.");
            return Redirects.seeOther(back);
        }
        LoginService.Result result = logins.attempt(normalised, password, client.value());
        if (result instanceof LoginService.Confirmed confirmed) {
            return signIn.proceed(confirmed.user(), destination, "password");
        }
        if (result instanceof LoginService.Throttled throttled) {
            return Response.status(429).header("Retry-After", throttled.retryAfter().toSeconds())
                    .entity(Templates.login(Redirects.safeLocalPath(next, ""), demoPassword(),
                            tooMany(throttled.retryAfter(), "failed sign-in attempts")))
                    .build();
        }
        flash.form(new FormErrors(), Map.of("email", normalised));
        flash.error("That email and password do not match an active account.");
        return Redirects.seeOther(back);
    }

    /** The second step for people with a second factor: only with a live half-signed-in state (R19). */
    @GET
    @Path("login/code")
    public Response codeForm(@CookieParam(SignInFlow.PENDING_COOKIE) String pending) {
        if (!signIn.pending(pending)) {
            return expired();
        }
        return Response.ok(Templates.code(null)).build();
    }

    @POST
    @Path("login/code")
    public Response code(@CookieParam(SignInFlow.PENDING_COOKIE) String pending, @RestForm String code) {
        if (code == null || code.isBlank() || code.length() > 100) {
            flash.form(new FormErrors().add("code", "Enter the code from your authenticator app, or a recovery code."),
                    Map.of());
            return Redirects.seeOther("/login/code");
        }
        SignInFlow.CodeStep step = signIn.confirmCode(pending, code);
        if (step instanceof SignInFlow.Passed passed) {
            if (passed.recoveryCode()) {
                flash.warning("You signed in with a recovery code; it no longer works. If you lost your device,"
                        + " set two-factor sign-in up again under Settings › Two-factor.");
            }
            return signIn.complete(passed.user(), passed.destination(),
                    passed.recoveryCode() ? "password and recovery code" : "password and authenticator code");
        }
        if (step instanceof SignInFlow.Throttled throttled) {
            return Response.status(429).header("Retry-After", throttled.retryAfter().toSeconds())
                    .entity(Templates.code(tooMany(throttled.retryAfter(), "wrong codes")))
                    .build();
        }
        if (step instanceof SignInFlow.WrongCode) {
            flash.form(new FormErrors().add("code", "That code is not right, or was already used. Wait for the next"
                    + " code in your app, or use a recovery code."), Map.of());
            return Redirects.seeOther("/login/code");
        }
        return expired();
    }

    private Response expired() {
        flash.warning("Your sign-in was not finished in time, or was already used. Enter your password again.");
        return Response.seeOther(URI.create("/login")).header(HttpHeaders.SET_COOKIE, signIn.pendingCookie("", 0))
                .build();
    }

    private static String tooMany(java.time.Duration retryAfter, String what) {
        long minutes = Math.max(1, (retryAfter.toSeconds() + 59) / 60);
        return "Too many " + what + ". Try again in " + minutes + (minutes == 1 ? " minute." : " minutes.");
    }

    @POST
    @Path("logout")
    public Response logout() {
        if (currentUser.signedIn()) {
            sessions.end(currentUser.get());
        }
        flash.success("You have signed out.");
        return Response.seeOther(URI.create("/login")).header(HttpHeaders.SET_COOKIE, signIn.sessionCookie("", 0))
                .build();
    }

    private static String demoPassword() {
        return LaunchMode.current() == LaunchMode.DEVELOPMENT ? DEMO_PASSWORD : null;
    }
}
