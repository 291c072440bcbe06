package io.dap.portal.account;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OneToOne;
import jakarta.persistence.Table;

import io.dap.portal.user.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** What one user owns: infrastructures, billing information, invoices and (later) delegates. */
@Entity
@Table(name = "account")
public class Account extends PanacheEntityBase {

    public static final String DEFAULT_COLOUR = "#334155";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @OneToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "owner_id")
    public User owner;

    @Column(name = "display_name", nullable = false, length = 100)
    public String displayName;

    @Column(nullable = false, length = 7)
    public String colour;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "billing_name", length = 200)
    public String billingName;

    @Column(name = "billing_address", length = 1000)
    public String billingAddress;

    @Column(name = "card_holder", length = 200)
    public String cardHolder;

    @Column(name = "card_brand", length = 32)
    public String cardBrand;

    @Column(name = "card_last4", length = 4)
    public String cardLast4;

    @Column(name = "card_exp_month")
    public Integer cardExpMonth;

    @Column(name = "card_exp_year")
    public Integer cardExpYear;

    @Column(name = "billing_updated_at")
    public Instant billingUpdatedAt;

    public boolean hasPaymentMethod() {
        return cardLast4 != null && cardExpMonth != null && cardExpYear != null;
    }

    /** Billable: a payment method on file that has not expired (a card is valid through its expiry month). */
    public boolean isBillable(YearMonth now) {
        return hasPaymentMethod() && !YearMonth.of(cardExpYear, cardExpMonth).isBefore(now);
    }

    // Helpers

    /** Every user owns exactly one account, opened with the user. */
    public static Account openFor(User owner, Instant now) {
        Account account = new Account();
        account.owner = owner;
        account.displayName = owner.displayName;
        account.colour = DEFAULT_COLOUR;
        account.createdAt = now;
        account.persist();
        return account;
    }

    public static Long idOwnedBy(Long userId) {
        return find("select a.id from Account a where a.owner.id = ?1", userId).project(Long.class).firstResult();
    }

    public static Optional<Account> findByOwner(Long userId) {
        return find("owner.id", userId).firstResultOptional();
    }

    /** The account with its owner, in one statement. */
    public static Optional<Account> findWithOwner(Long accountId) {
        return find("select a from Account a join fetch a.owner where a.id = ?1", accountId).firstResultOptional();
    }
}
