package dev.customersessions.session;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CascadeType;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.Fetch;
import org.hibernate.annotations.FetchMode;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A shopper's cart session in one application, keyed by the client's integration id. The aggregate root: its
 * cart items and additional costs change only through it, and every stored change raises {@link #version}.
 */
@Entity
@Table(name = "customer_session")
public class CustomerSession {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "application_id", nullable = false, updatable = false)
    public Long applicationId;

    @Column(name = "integration_id", nullable = false, updatable = false, length = 1000)
    public String integrationId;

    @Column(name = "profile_id", length = 1000)
    public String profileId;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "coupon_codes", nullable = false, columnDefinition = "varchar(100)[]")
    public List<String> couponCodes = new ArrayList<>();

    @Column(name = "referral_code", length = 100)
    public String referralCode;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "loyalty_cards", nullable = false, columnDefinition = "varchar(1000)[]")
    public List<String> loyaltyCards = new ArrayList<>();

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public SessionState state;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "varchar(1000)[]")
    public List<String> identifiers = new ArrayList<>();

    /** A JSON object, as text. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public String attributes = "{}";

    @Column(name = "first_session", nullable = false, updatable = false)
    public boolean firstSession;

    @Column(nullable = false, updatable = false)
    public OffsetDateTime created;

    @Column(nullable = false)
    public OffsetDateTime updated;

    /** 1 at creation, +1 on every stored change (the session row changes with each: at least {@link #updated}). */
    @Version
    @Column(nullable = false)
    public Long version;

    /** SHA-256 of the session token given to the page that started it through a publishable key; null if none. */
    @Column(name = "token_hash", length = 64)
    public String tokenHash;

    /** The kind of API key whose request last set the cart (items or costs); null before anyone did. */
    @Column(name = "cart_set_by", length = 20)
    public String cartSetBy;

    @ElementCollection
    @CollectionTable(name = "session_additional_cost", joinColumns = @JoinColumn(name = "session_id"))
    @OrderBy("name")
    @Fetch(FetchMode.SUBSELECT)
    public List<AdditionalCost> additionalCosts = new ArrayList<>();

    @OneToMany(mappedBy = "session", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("position")
    public List<CartItem> cartItems = new ArrayList<>();

    /** The returns of the session's cart items, oldest first. Only a session that was closed can have any. */
    @OneToMany(cascade = CascadeType.PERSIST)
    @JoinColumn(name = "session_id", nullable = false, updatable = false)
    @OrderBy("id")
    public List<CartItemReturn> returns = new ArrayList<>();

    /** Whether the session may have returns: it was closed and then had items returned (and may have been cancelled since). */
    public boolean mayHaveReturns() {
        return state == SessionState.partially_returned || state == SessionState.cancelled;
    }
}
