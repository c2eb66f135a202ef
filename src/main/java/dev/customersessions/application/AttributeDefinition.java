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

import dev.customersessions.common.AttributeEntity;
import dev.customersessions.common.AttributeKind;

/** A custom attribute an application accepts on sessions or cart items. Name and type never change. */
@Entity
@Table(name = "attribute_definition")
public class AttributeDefinition {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "application_id", nullable = false, updatable = false)
    public Long applicationId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false, length = 20)
    public AttributeEntity entity;

    @Column(nullable = false, updatable = false, length = 100)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false, length = 20)
    public AttributeKind type;

    @Column(length = 1000)
    public String description;

    @Column(nullable = false, updatable = false)
    public OffsetDateTime created;
}
