package dev.customersessions.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;

/**
 * Serves our start-up script for GraphiQL ({@code graphiql/render.js}) in place of the one bundled with SmallRye
 * GraphQL, which writes the Headers tab (API keys) into the page's address. Always installed: where GraphiQL is
 * off, the script alone serves no purpose and reveals nothing.
 */
@ApplicationScoped
class GraphiQLPage {

    void install(@Observes Router router,
            @ConfigProperty(name = "quarkus.http.non-application-root-path", defaultValue = "q") String root,
            @ConfigProperty(name = "quarkus.smallrye-graphql.ui.root-path", defaultValue = "graphql-ui") String uiPath) {
        Buffer script = Buffer.buffer(read("graphiql/render.js"));
        String path = uiPath.startsWith("/") ? uiPath.replaceAll("/+$", "") + "/render.js"
                : "/" + root.replaceAll("^/+|/+$", "") + "/" + uiPath.replaceAll("^/+|/+$", "") + "/render.js";
        router.get(path).order(-10).handler(context -> context.response()
                .putHeader("Content-Type", "application/javascript; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .end(script));
    }

    private static byte[] read(String resource) {
        try (InputStream in = GraphiQLPage.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
