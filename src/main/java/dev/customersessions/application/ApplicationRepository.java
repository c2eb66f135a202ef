package dev.customersessions.application;

import java.util.List;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;

/** Persistence of applications. */
@ApplicationScoped
public class ApplicationRepository implements PanacheRepository<Application> {

    /** Up to {@code limit} applications after the one with id {@code afterId} (null: from the first), by id. */
    public List<Application> page(Long afterId, int limit) {
        return find("id > :after order by id", Parameters.with("after", afterId == null ? 0L : afterId))
                .range(0, limit - 1).list();
    }
}
