package io.dap.portal.support;

import java.util.List;

import com.microsoft.playwright.Page;

/**
 * WCAG 1.4.10 Reflow: at 320 CSS pixels wide a page must not scroll sideways. A table may scroll
 * inside its own wrapper (a keyboard-reachable region); the document itself may not.
 */
public final class Reflow {

    public static final int NARROW = 320;

    /**
     * The elements that stick out to the right of the viewport, outermost culprits first (not those
     * clipped by a scrolling ancestor), as tag#id.class, at most five: what to fix when the page scrolls.
     */
    private static final String OVERFLOWING = """
            () => {
              const width = document.documentElement.clientWidth;
              const clipped = (e) => {
                for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
                  const x = getComputedStyle(p).overflowX;
                  if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
                }
                return false;
              };
              const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                  + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
              const out = [];
              for (const e of document.body.querySelectorAll('*')) {
                const r = e.getBoundingClientRect();
                if (r.width > 0 && r.right > width + 0.5 && !clipped(e)
                    && !(e.parentElement && e.parentElement.getBoundingClientRect().right > width + 0.5 && !clipped(e.parentElement) && e.parentElement !== document.body)) {
                  out.push(name(e) + ' right=' + Math.round(r.right) + ' text="' + (e.textContent || '').trim().slice(0, 40) + '"');
                }
                if (out.length >= 5) break;
              }
              return out;
            }
            """;

    private Reflow() {
    }

    /** document.documentElement.scrollWidth: wider than the viewport means a sideways scroll. */
    public static int documentWidth(Page page) {
        return ((Number) page.evaluate("document.documentElement.scrollWidth")).intValue();
    }

    @SuppressWarnings("unchecked")
    public static List<String> overflowing(Page page) {
        return (List<String>) page.evaluate(OVERFLOWING);
    }
}
