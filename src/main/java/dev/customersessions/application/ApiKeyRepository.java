package dev.customersessions.application;

import java.util.Optional;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** Persistence of API keys, looked up by the hash of the presented key. */
@ApplicationScoped
public class ApiKeyRepository implements PanacheRepository<ApiKey> {

    public Optional<ApiKey> findByHash(String keyHash) {
        return find("keyHash", keyHash).firstResultOptional();
    }
}
