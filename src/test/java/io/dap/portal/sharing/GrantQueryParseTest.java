package io.dap.portal.sharing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.support.HqlParseHeap;

/**
 * The grant queries that once nested parentheses three deep: Hibernate's parser must learn them
 * within a small heap, as the portal runs with 128 MB for everything.
 */
class GrantQueryParseTest {

    static final int HEAP_MB = 48;

    @Test
    void whoCanActsPeopleAndALiveGrantParseWithinASmallHeap() throws Exception {
        assertTrue(HqlParseHeap.parsesWithin(HEAP_MB, WhoCanAct.PEOPLE));
        assertTrue(HqlParseHeap.parsesWithin(HEAP_MB, "from Grant g where g.account.id = ?1 and "
                + Grant.standingAt("g", "?2") + " and g.infrastructure.id = ?3"));
    }

    @Test
    void theNestedFormTheyReplacedDoesNot() throws Exception {
        assertFalse(HqlParseHeap.parsesWithin(HEAP_MB, "select distinct g.account.id, g.grantee.id from Grant g"
                + " where g.account.id = ?1 and (g.status = ?2 or (g.status = ?3 and (g.endsAt is null or g.endsAt > ?4)))"
                + " order by g.account.id, g.grantee.id"));
    }
}
