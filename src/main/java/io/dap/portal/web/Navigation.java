package io.dap.portal.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.quarkus.qute.RawString;
import io.vertx.core.http.HttpServerRequest;

/**
 * Marks the header link of the page being shown, so screen readers say which one it is and the
 * style shows it: {@code aria-current="page"} on the link to this very page, {@code "true"} on the
 * link of the section the page belongs to (an infrastructure under Infrastructures).
 */
@Named("nav")
@RequestScoped
public class Navigation {

    private static final RawString PAGE = new RawString(" aria-current=\"page\"");
    private static final RawString SECTION = new RawString(" aria-current=\"true\"");
    private static final RawString NONE = new RawString("");

    @Inject
    HttpServerRequest request;

    /** For a link that is its own section. */
    public RawString current(String href) {
        return current(href, href);
    }

    /** For a link into a section that has other pages (Settings opens on Profile). */
    public RawString current(String href, String section) {
        String path = request.path();
        if (path == null || href == null) {
            return NONE;
        }
        if (path.equals(href)) {
            return PAGE;
        }
        String prefix = section.endsWith("/") ? section : section + "/";
        return path.startsWith(prefix) || path.equals(section) ? SECTION : NONE;
    }
}
