package io.dap.portal.operator;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import io.dap.portal.user.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A user an operator disabled (R21), while they stay disabled: the row goes when an operator
 * enables them again (the audit trail keeps the history). A DISABLED user without this row was
 * not disabled by an operator (a placeholder retired by an email change) and cannot be enabled.
 */
@Entity
@Table(name = "user_disablement")
public class Disablement extends PanacheEntityBase {

    @Id
    @Column(name = "user_id")
    public Long userId;

    @Column(name = "disabled_at", nullable = false)
    public Instant disabledAt;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "disabled_by")
    public User disabledBy;

    @Column(nullable = false, length = 500)
    public String reason;
}
