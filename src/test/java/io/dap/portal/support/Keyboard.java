package io.dap.portal.support;

import com.microsoft.playwright.Page;

/**
 * Moving through a page the way someone without a mouse does: Tab until the element wanted has the
 * focus. Reading what has the focus is the only thing done with a script.
 */
public final class Keyboard {

    /** More Tab presses than any portal page needs to reach anything on it. */
    private static final int MAX_TABS = 80;

    /** What the focused element says: its tag and a text close to its accessible name (aria-label, label, text, value). */
    private static final String FOCUSED = """
            () => {
              const e = document.activeElement;
              if (!e || e === document.body) return '';
              const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
              const text = (e.getAttribute('aria-label') || label || e.innerText || e.value || '').replace(/\\s+/g, ' ').trim();
              return e.tagName.toLowerCase() + ': ' + text;
            }
            """;

    private Keyboard() {
    }

    /** Presses Tab until the focused element is a {@code tag} whose text contains {@code text}. */
    public static void tabTo(Page page, String tag, String text) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < MAX_TABS; i++) {
            page.keyboard().press("Tab");
            String focused = focused(page);
            if (focused.startsWith(tag + ": ") && focused.contains(text)) {
                return;
            }
            path.append("\n  ").append(focused);
        }
        throw new AssertionError("Tab never reached " + tag + " \"" + text + "\"; it went through:" + path);
    }

    /** "tag: text" of the element with the focus, or "" for none. */
    public static String focused(Page page) {
        return (String) page.evaluate(FOCUSED);
    }
}
