package io.dap.portal.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Page;

/**
 * axe-core (the copy bundled in the axe-core Playwright jar, never fetched from the network) run on
 * the page as it is now, against WCAG 2.1 A and AA. A page passes with no violation of impact
 * serious or critical; minor and moderate ones are left to review.
 */
public final class Axe {

    public static final List<String> WCAG_21_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");
    private static final Set<String> BLOCKING = Set.of("serious", "critical");

    private Axe() {
    }

    /** Fails with every serious or critical violation on the page: rule, impact, elements, help. */
    public static void assertClean(Page page) {
        List<String> findings = findings(page);
        if (!findings.isEmpty()) {
            throw new AssertionError("axe-core found serious or critical violations on " + page.url() + ":\n"
                    + String.join("\n", findings));
        }
    }

    /** One line per serious or critical violation: "rule (impact): target, target — help". */
    public static List<String> findings(Page page) {
        return findings(new AxeBuilder(page).withTags(WCAG_21_AA), page);
    }

    /**
     * Only the rules whose outcome depends on the layout (what scrolls, what overlaps), for a second
     * look at the same page at another width: a full run costs half a second a page.
     */
    public static List<String> layoutFindings(Page page) {
        return findings(new AxeBuilder(page).withRules(LAYOUT_RULES), page);
    }

    /** Rules that can pass at one width and fail at another. */
    public static final List<String> LAYOUT_RULES = List.of("scrollable-region-focusable", "color-contrast");

    private static List<String> findings(AxeBuilder builder, Page page) {
        // Legacy mode runs axe.run in the page itself; the default mode opens a second page to put
        // the results of frames together, which the portal (no frames) does not need: twice as slow.
        AxeResults results = builder.setLegacyMode(true).analyze();
        if (results.getError() != null || results.getErrorMessage() != null) {
            throw new AssertionError("axe-core did not run on " + page.url() + ": " + results.getErrorMessage());
        }
        if (results.getPasses().isEmpty()) {
            throw new AssertionError("axe-core checked nothing on " + page.url());
        }
        List<String> findings = new ArrayList<>();
        for (Rule rule : results.getViolations()) {
            if (!BLOCKING.contains(rule.getImpact())) {
                continue;
            }
            List<String> targets = new ArrayList<>();
            for (CheckedNode node : rule.getNodes()) {
                targets.add(String.valueOf(node.getTarget()));
            }
            findings.add("  " + rule.getId() + " (" + rule.getImpact() + "): " + String.join(", ", targets)
                    + " — " + rule.getHelp());
        }
        return findings;
    }
}
