package io.dap.portal.twofactor;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An owner requires a second factor of everyone they share their account with (R19): the row is the switch. */
@Entity
@Table(name = "two_factor_requirement")
public class TwoFactorRequirement extends PanacheEntityBase {

    @Id
    @Column(name = "account_id")
    public Long accountId;

    @Column(name = "required_at", nullable = false)
    public Instant requiredAt;

    @Column(name = "required_by", nullable = false)
    public Long requiredBy;

    // Helpers

    public static boolean isOn(Long accountId) {
        return count("accountId", accountId) > 0;
    }

    /**
     * Whether this delegate is shut out of this account: the owner requires a second factor and the
     * delegate has none. One statement, asked on every request of a delegate into the account.
     */
    public static boolean blocks(Long accountId, Long delegateId) {
        return count("accountId = ?1 and not exists (select 1 from TwoFactor t where t.userId = ?2"
                + " and t.enabledAt is not null)", accountId, delegateId) > 0;
    }
}
