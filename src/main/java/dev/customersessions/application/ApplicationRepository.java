package dev.customersessions.application;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** Persistence of applications. */
@ApplicationScoped
public class ApplicationRepository implements PanacheRepository<Application> {
}
