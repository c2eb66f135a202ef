package dev.customersessions.graphql;

import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.arc.profile.UnlessBuildProfile;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Dev mode and tests only: serves the example storefront page of {@code examples/storefront} (run {@code npm install}
 * there first, for its GraphQL client) at {@code /examples/storefront/}. Never in the packaged application.
 */
@ApplicationScoped
@UnlessBuildProfile("prod")
class ExampleStorefrontRoute {

    static final String DIRECTORY = "examples/storefront";

    void install(@Observes Router router) {
        if (Files.isDirectory(Path.of(DIRECTORY))) {
            router.get("/examples/storefront/*").handler(StaticHandler.create(DIRECTORY).setCachingEnabled(false)
                    .setDirectoryListing(false));
        }
    }
}
