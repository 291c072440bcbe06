package io.dap.portal.switching;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** When a user last acted in an account: orders the switch-account menu (R12). */
@Entity
@Table(name = "account_visit")
public class AccountVisit extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_id", nullable = false)
    public Long userId;

    @Column(name = "account_id", nullable = false)
    public Long accountId;

    @Column(name = "visited_at", nullable = false)
    public Instant visitedAt;
}
