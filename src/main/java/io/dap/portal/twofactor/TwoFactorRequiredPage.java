package io.dap.portal.twofactor;

import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.dap.portal.web.Problem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The answer to {@link TwoFactorRequiredException}: in the pages, an explanation with the way to
 * enrol, and nothing else of the account; in the API, a 403 problem that names the reason.
 */
public class TwoFactorRequiredPage {

    /** The problem type API clients can test for. */
    public static final String PROBLEM_TYPE = "urn:dap:problem:two-factor-required";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance required(String accountName);
    }

    @ServerExceptionMapper
    public Response required(TwoFactorRequiredException e) {
        if (Problem.isApiRequest()) {
            return new Problem(PROBLEM_TYPE, "Two-factor sign-in required", 403,
                    "The owner of this account requires two-factor sign-in of everyone they share it with. Turn it"
                            + " on under Settings › Two-factor in the portal; this token works here again right after.",
                    (Map<String, String>) null).response();
        }
        return Response.status(403).type(MediaType.TEXT_HTML_TYPE).entity(Templates.required(e.accountName())).build();
    }
}
