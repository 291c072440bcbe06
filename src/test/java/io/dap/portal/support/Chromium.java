package io.dap.portal.support;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * Debian's Chromium driven by Playwright (Playwright's own browser download cannot work here).
 * One instance per test class; each simulated person gets a fresh browser context.
 */
public final class Chromium implements AutoCloseable {

    public static final String EXECUTABLE = "/usr/bin/chromium";
    private static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    private final Playwright playwright;
    private final Browser browser;

    public Chromium() {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get(EXECUTABLE))
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    /** A new, cookie-less person. */
    public Page newPage() {
        return newPage(new Browser.NewContextOptions().setViewportSize(1280, 900));
    }

    /** A new, cookie-less person with a browser set up otherwise (JavaScript off, a phone's width…). */
    public Page newPage(Browser.NewContextOptions options) {
        Page page = browser.newContext(options).newPage();
        page.setDefaultTimeout(15_000);
        return page;
    }

    public static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
