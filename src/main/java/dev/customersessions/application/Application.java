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

    @Column(nullable = false)
    public OffsetDateTime created;

    @Column(nullable = false)
    public OffsetDateTime updated;

    @Version
    public Long version;
}
