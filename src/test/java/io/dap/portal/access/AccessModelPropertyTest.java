package io.dap.portal.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Instant;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import io.dap.portal.support.MutableClock;
import io.dap.portal.web.TimeSource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The access model's property test (R1, R2, R5, R9, R11, R16, R17): jqwik generates and shrinks
 * sequences of operations; {@link AccessModelProperties} plays them on the real services and
 * compares every answer with {@link AccessModel}. jqwik has no Quarkus integration, so this test
 * starts it through the JUnit Platform launcher inside the running application, where the beans
 * are. 1,000 tries by default; {@code -Djqwik.tries=N} for longer runs.
 */
@QuarkusTest
class AccessModelPropertyTest {

    @Test
    void theAccessRulesHoldForRandomSequencesOfOperations() {
        MutableClock clock = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        AccessModelProperties.clock = clock;
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(AccessModelProperties.class))
                .filters(EngineFilter.includeEngines("jqwik"))
                .configurationParameter("jqwik.tries.default", System.getProperty("jqwik.tries", "1000"))
                .configurationParameter("jqwik.database", "target/jqwik-database")
                .configurationParameter("jqwik.reporting.usejunitplatform", "false")
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(request, summary);
        TestExecutionSummary result = summary.getSummary();
        String failures = result.getFailures().stream()
                .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException())
                .collect(Collectors.joining("\n"));
        assertEquals(0, result.getTotalFailureCount(), failures);
        assertEquals(1, result.getTestsSucceededCount(), "the property ran (found by jqwik in this class loader)");
        int tries = Integer.parseInt(System.getProperty("jqwik.tries", "1000"));
        assertTrue(AccessModelProperties.steps.get() >= tries, "steps compared: " + AccessModelProperties.steps);
        assertTrue(AccessModelProperties.accepted.get() >= tries / 4, "grants that went live: "
                + AccessModelProperties.accepted + " in " + tries + " tries");
        assertTrue(AccessModelProperties.unions.get() >= tries / 10, "steps with grants of both scopes at once: "
                + AccessModelProperties.unions);
    }
}
