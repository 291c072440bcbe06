package io.dap.portal.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads links off a page, as a browser would follow them. */
public final class Links {

    private Links() {
    }

    /** The target of the page's link with this {@code rel} (a pager's "prev" or "next"); fails when there is none. */
    public static String rel(String page, String rel) {
        Matcher link = Pattern.compile("<a href=\"([^\"]*)\" rel=\"" + Pattern.quote(rel) + "\"").matcher(page);
        if (!link.find()) {
            throw new AssertionError("no rel=\"" + rel + "\" link on the page");
        }
        return link.group(1).replace("&amp;", "&");
    }
}
