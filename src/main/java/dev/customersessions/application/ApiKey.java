package dev.customersessions.application;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Access to one application's sessions. Only the SHA-256 hash of the key is stored. */
@Entity
@Table(name = "api_key")
public class ApiKey {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "application_id", nullable = false)
    public Long applicationId;

    @Column(name = "key_hash", nullable = false, length = 64)
    public String keyHash;

    @Column(nullable = false, length = 16)
    public String prefix;

    @Column(nullable = false)
    public OffsetDateTime created;

    public OffsetDateTime revoked;
}
