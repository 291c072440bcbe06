package io.dap.portal.web;

import java.net.URI;

import jakarta.ws.rs.core.Response;

/** The answer to every successful or refused POST: 303 to a page, so reloading never resubmits. */
public final class Redirects {

    private Redirects() {
    }

    public static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

    /** A post-login destination is only ever a local path: no open redirect through ?next=. */
    public static String safeLocalPath(String candidate, String fallback) {
        if (candidate == null || candidate.isBlank() || candidate.length() > 2000) {
            return fallback;
        }
        if (!candidate.startsWith("/") || candidate.startsWith("//") || candidate.startsWith("/\\")
                || candidate.chars().anyMatch(c -> c < 0x20 || c == '\\')) {
            return fallback;
        }
        return candidate;
    }
}
