package dev.customersessions.application;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A tenant: one storefront or brand. Every session and API key belongs to exactly one application. */
@Entity
@Table(name = "application")
public class Application {

    /** An unfinished cart untouched this long is abandoned: kept no longer unless the application says so. */
    public static final int DEFAULT_OPEN_SESSION_RETENTION_DAYS = 90;

    /** The longest retention that may be set, in days (about ten years). */
    public static final int MAX_RETENTION_DAYS = 3650;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 200)
    public String name;

    /** ISO 4217 code, upper case. */
    @Column(nullable = false, length = 3)
    public String currency;

    /** When on, a cart item of quantity n is stored as n items of quantity 1. */
    @Column(name = "cart_item_flattening", nullable = false)
    public boolean cartItemFlattening;

    /**
     * Days an open session is kept after its last change before the retention job deletes it; null: kept forever.
     * New applications start with {@link #DEFAULT_OPEN_SESSION_RETENTION_DAYS}.
     */
    @Column(name = "open_session_retention_days")
    public Integer openSessionRetentionDays;

    /** Days a finished session (any state but open) is kept after its last change; null: kept forever, the default. */
    @Column(name = "finished_session_retention_days")
    public Integer finishedSessionRetentionDays;

    @Column(nullable = false)
    public OffsetDateTime created;

    @Column(nullable = false)
    public OffsetDateTime updated;

    @Version
    public Long version;
}
