package dev.customersessions.application;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * Access to one application's sessions, of one {@link ApiKeyKind}. Only the SHA-256 hash of the key is stored.
 */
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

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public ApiKeyKind kind = ApiKeyKind.SECRET;

    /** A restricted key's scopes; empty for the other kinds. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "varchar(40)[]")
    public List<String> scopes = new ArrayList<>();

    /** A publishable key's allowed browser origins; empty: any. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "allowed_origins", nullable = false, columnDefinition = "varchar(300)[]")
    public List<String> allowedOrigins = new ArrayList<>();

    /** When the key was last used, to the minute. */
    @Column(name = "last_used")
    public OffsetDateTime lastUsed;

    /** What the key is for, as its maker says. */
    @Column(length = 200)
    public String name;
}
