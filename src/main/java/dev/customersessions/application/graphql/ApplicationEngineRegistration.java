package dev.customersessions.application.graphql;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.customersessions.engine.EngineRegistration;

/** The management API's part in the engine: its listings that page. */
@ApplicationScoped
public class ApplicationEngineRegistration implements EngineRegistration {

    @Override
    public Set<String> pagedListings() {
        return Set.of("applications", "apiKeys");
    }
}
