package dev.customersessions.devdb;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.application.Application;
import dev.customersessions.application.ApplicationService;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;

/**
 * Dev mode only: makes sure a demo application with the configured dev API key exists, and prints what to paste
 * into GraphiQL.
 */
@IfBuildProfile("dev")
public class DevData {

    private static final Logger LOG = Logger.getLogger(DevData.class);

    @Inject
    ApplicationService applications;

    @Inject
    CustomerSessionsConfig config;

    void onStart(@Observes StartupEvent event) {
        config.devApiKey().ifPresent(key -> {
            Application demo = applications.ensureApplicationWithKey("Demo storefront", "EUR", key);
            LOG.infof("%n  Demo application %d (%s, %s) is ready.%n"
                    + "  GraphiQL:   http://localhost:8080/q/graphql-ui%n"
                    + "  Storefront: {\"Authorization\": \"ApiKey-v1 %s\"}%n"
                    + "  Management: {\"Authorization\": \"ManagementKey-v1 %s\"}%n",
                    demo.id, demo.name, demo.currency, key, config.managementKey());
        });
    }
}
