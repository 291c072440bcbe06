package io.dap.portal.session;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.dap.portal.user.EmailAddress;
import io.dap.portal.web.ClientAddress;
import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.PortalConfig;
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
    }

    @Inject
    LoginService logins;

    @Inject
    SessionService sessions;

    @Inject
    CurrentUser currentUser;

    @Inject
    ClientAddress client;

    @Inject
    Flash flash;

    @Inject
    PortalConfig config;

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
        if (result instanceof LoginService.SignedIn signedIn) {
            String rawId = sessions.create(signedIn.user(), client.value(), client.userAgent());
            return Response.seeOther(URI.create(destination)).header(HttpHeaders.SET_COOKIE, sessionCookie(rawId, -1))
                    .build();
        }
        if (result instanceof LoginService.NotActivated) {
            flash.warning("Your account is not activated yet. Follow the link in the activation mail,"
                    + " or ask for a new link below.");
            return Redirects.seeOther("/activate");
        }
        if (result instanceof LoginService.Throttled throttled) {
            long minutes = Math.max(1, (throttled.retryAfter().toSeconds() + 59) / 60);
            String message = "Too many failed sign-in attempts. Try again in " + minutes
                    + (minutes == 1 ? " minute." : " minutes.");
            return Response.status(429).header("Retry-After", throttled.retryAfter().toSeconds())
                    .entity(Templates.login(Redirects.safeLocalPath(next, ""), demoPassword(), message)).build();
        }
        flash.form(new FormErrors(), Map.of("email", normalised));
        flash.error("That email and password do not match an active account.");
        return Redirects.seeOther(back);
    }

    @POST
    @Path("logout")
    public Response logout() {
        if (currentUser.signedIn()) {
            sessions.end(currentUser.get());
        }
        flash.success("You have signed out.");
        return Response.seeOther(URI.create("/login")).header(HttpHeaders.SET_COOKIE, sessionCookie("", 0))
                .build();
    }

    private NewCookie sessionCookie(String value, int maxAge) {
        return new NewCookie.Builder(config.session().cookieName()).value(value).path("/").maxAge(maxAge)
                .httpOnly(true).secure(config.https()).sameSite(NewCookie.SameSite.LAX).build();
    }

    private static String demoPassword() {
        return LaunchMode.current() == LaunchMode.DEVELOPMENT ? DEMO_PASSWORD : null;
    }
}
