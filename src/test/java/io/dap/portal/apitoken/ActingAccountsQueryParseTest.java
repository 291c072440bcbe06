package io.dap.portal.apitoken;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.dap.portal.support.HqlParseHeap;

/** The accounts a token can act in: Hibernate's parser learns the query within a small heap. */
class ActingAccountsQueryParseTest {

    static final String ORDER = " order by case when o.id = :user then 0 else 1 end, lower(a.displayName), a.id";

    @Test
    void bothFormsParseWithinASmallHeap() throws Exception {
        assertTrue(HqlParseHeap.parsesWithin(48,
                "select a from Account a join fetch a.owner o" + ApiTokenService.actingWhere(false) + ORDER,
                "select count(a) from Account a join a.owner o" + ApiTokenService.actingWhere(true)));
    }

    @Test
    void theParenthesisedFormItReplacedDoesNot() throws Exception {
        assertFalse(HqlParseHeap.parsesWithin(48, "select a from Account a join fetch a.owner o"
                + " where (o.id = :user or exists (select 1 from Grant g where g.account = a and g.grantee.id = :user"
                + " and g.status = :accepted and (g.endsAt is null or g.endsAt > :now)))" + ORDER));
    }
}
