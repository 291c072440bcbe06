package io.dap.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The process-wide settings PortalMain puts in place before Quarkus starts. */
class PortalMainTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty("h2.queryCacheSize");
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty("h2.queryCacheSize");
        } else {
            System.setProperty("h2.queryCacheSize", before);
        }
    }

    @Test
    void h2KeepsMoreParsedStatementsThanItsDefault() {
        System.clearProperty("h2.queryCacheSize");
        PortalMain.processSettings();
        assertEquals(PortalMain.H2_QUERY_CACHE_SIZE, System.getProperty("h2.queryCacheSize"));
        assertTrue(Integer.parseInt(PortalMain.H2_QUERY_CACHE_SIZE) > 8, "more than H2's default");
        assertEquals("true", System.getProperty("vertx.disableURIValidation"));
    }

    @Test
    void anOperatorsOwnValueWins() {
        System.setProperty("h2.queryCacheSize", "200");
        PortalMain.processSettings();
        assertEquals("200", System.getProperty("h2.queryCacheSize"));
    }

    @Test
    void testsRunWithTheValueTheProductionStartSets() {
        // The pom sets the property for tests and dev mode, which do not start through PortalMain.
        assertEquals(PortalMain.H2_QUERY_CACHE_SIZE, before);
    }
}
