package dev.customersessions.application;

import java.util.List;
import java.util.Optional;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;

/** Persistence of API keys, looked up by the hash of the presented key. */
@ApplicationScoped
public class ApiKeyRepository implements PanacheRepository<ApiKey> {

    public Optional<ApiKey> findByHash(String keyHash) {
        return find("keyHash", keyHash).firstResultOptional();
    }

    /** Up to {@code limit} keys of an application after the one with id {@code afterId} (null: from the first). */
    public List<ApiKey> page(long applicationId, Long afterId, int limit) {
        return find("applicationId = :app and id > :after order by id",
                Parameters.with("app", applicationId).and("after", afterId == null ? 0L : afterId))
                .range(0, limit - 1).list();
    }
}
