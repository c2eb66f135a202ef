package dev.customersessions.webhooks.graphql;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.customersessions.engine.EngineRegistration;

/** The webhook API's part in the engine: its listings that page. */
@ApplicationScoped
public class WebhookEngineRegistration implements EngineRegistration {

    @Override
    public Set<String> pagedListings() {
        return Set.of("webhookEndpoints", "webhookDeliveries");
    }
}
