package io.dap.portal.pages.sharing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The access groups of a sharing page: the labels in use, the one chosen (or none), and where the
 * filter, the pager and "revoke all with this label" lead. Only the granting side ever gets one.
 */
public record LabelFilter(List<String> labels, String selected, String sharingPath) {

    static LabelFilter of(List<String> labels, String requested, String sharingPath) {
        return new LabelFilter(labels, requested == null ? null : chosen(labels, requested), sharingPath);
    }

    /** A GET form sends a space as '+', which the query parameter keeps: both spellings find the label. */
    static String chosen(List<String> labels, String requested) {
        if (labels.contains(requested)) {
            return requested;
        }
        String spaced = requested.replace('+', ' ');
        return labels.contains(spaced) ? spaced : null;
    }

    static LabelFilter none(String sharingPath) {
        return new LabelFilter(List.of(), null, sharingPath);
    }

    public boolean offered() {
        return !labels.isEmpty();
    }

    public boolean active() {
        return selected != null;
    }

    /** The page's address for the pager, keeping the chosen group. */
    public String pagerBase() {
        return sharingPath + "?" + (active() ? "label=" + encoded() + "&" : "");
    }

    public String revokePath() {
        return sharingPath + "/groups/revoke?label=" + encoded();
    }

    public String revokeAction() {
        return sharingPath + "/groups/revoke";
    }

    private String encoded() {
        return URLEncoder.encode(selected, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
