package io.dap.portal.billing;

import java.math.BigDecimal;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One infrastructure's usage on an invoice. The label is a copy: renaming or deleting it later changes nothing. */
@Entity
@Table(name = "invoice_line")
public class InvoiceLine extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "invoice_id")
    public Invoice invoice;

    @Column(name = "infrastructure_id", nullable = false)
    public Long infrastructureId;

    @Column(name = "infrastructure_label", nullable = false, length = 100)
    public String infrastructureLabel;

    @Column(name = "gb_hours", nullable = false, precision = 18, scale = 3)
    public BigDecimal gbHours;

    @Column(nullable = false, precision = 18, scale = 2)
    public BigDecimal amount;

    /** The drives behind the line as issued, e.g. "web-1 (50 GB), web-2 (50 GB)"; null on older invoices. */
    @Column(length = 2000)
    public String drives;

    // Helpers

    public static List<InvoiceLine> of(Long invoiceId) {
        return list("invoice.id = ?1 order by infrastructureLabel, id", invoiceId);
    }
}
