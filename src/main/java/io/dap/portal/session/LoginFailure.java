package io.dap.portal.session;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One failed sign-in (a wrong password or a wrong code); counted over a sliding window by LoginService. */
@Entity
@Table(name = "login_failure")
public class LoginFailure extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 254)
    public String email;

    @Column(name = "client_address", nullable = false, length = 64)
    public String clientAddress;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    /** A wrong two-factor code rather than a wrong password. */
    @Column(name = "second_factor", nullable = false)
    public boolean secondFactor;
}
