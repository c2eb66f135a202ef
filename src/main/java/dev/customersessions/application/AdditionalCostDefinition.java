package dev.customersessions.application;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.customersessions.common.AdditionalCostScope;

/** A named cost an application accepts, such as shipping. The name never changes; the scope only widens. */
@Entity
@Table(name = "additional_cost_definition")
public class AdditionalCostDefinition {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "application_id", nullable = false, updatable = false)
    public Long applicationId;

    @Column(nullable = false, updatable = false, length = 100)
    public String name;

    @Column(nullable = false, length = 200)
    public String title;

    @Column(length = 1000)
    public String description;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 10)
    public AdditionalCostScope scope;

    @Column(nullable = false, updatable = false)
    public OffsetDateTime created;
}
