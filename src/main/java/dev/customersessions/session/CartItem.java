package dev.customersessions.session;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import org.hibernate.annotations.Fetch;
import org.hibernate.annotations.FetchMode;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One line of a session's cart, at a 0-based position in the order the client sent the cart. */
@Entity
@Table(name = "cart_item")
public class CartItem {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "session_id", nullable = false)
    public CustomerSession session;

    /** The session's id, readable without touching {@link #session}; written through {@link #session}. */
    @Column(name = "session_id", insertable = false, updatable = false)
    public Long sessionId;

    @Column(nullable = false)
    public int position;

    @Column(nullable = false, length = 1000)
    public String sku;

    @Column(length = 1000)
    public String name;

    @Column(length = 1000)
    public String category;

    @Column(nullable = false)
    public int quantity;

    @Column(nullable = false, precision = 20, scale = 6)
    public BigDecimal price;

    @Column(name = "product_name", length = 1000)
    public String productName;

    @Column(precision = 20, scale = 6)
    public BigDecimal weight;

    @Column(precision = 20, scale = 6)
    public BigDecimal height;

    @Column(precision = 20, scale = 6)
    public BigDecimal width;

    @Column(precision = 20, scale = 6)
    public BigDecimal length;

    /** Units returned so far (spec section 6): raised only by returns, never above {@link #quantity}. */
    @Column(name = "returned_quantity", nullable = false)
    public int returnedQuantity;

    /** A JSON object, as text. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public String attributes = "{}";

    /** Costs per unit; loaded for all items of one query at once. */
    @ElementCollection
    @CollectionTable(name = "cart_item_additional_cost", joinColumns = @JoinColumn(name = "cart_item_id"))
    @OrderBy("name")
    @Fetch(FetchMode.SUBSELECT)
    public List<AdditionalCost> additionalCosts = new ArrayList<>();
}
