package dev.customersessions.graphql;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

/** Sets the parser limits at start-up, so that they hold for the very first request too. */
@ApplicationScoped
class ParserLimitsAtStartup {

    void onStart(@Observes StartupEvent event, RequestLimitsConfig limits) {
        GraphQLEngineSetup.applyParserLimits(limits);
    }
}
