package dev.customersessions.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Switches introspection on for a black-box test of the packaged application (production turns it off), as an
 * operator would with QUARKUS_SMALLRYE_GRAPHQL_FIELD_VISIBILITY=default: the graphql-http audit queries __type.
 */
public class IntrospectionOn implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.smallrye-graphql.field-visibility", "default");
    }

    /** The test framework hands the setting over as a system property; it must not reach the next application. */
    @Override
    public void stop() {
        System.clearProperty("quarkus.smallrye-graphql.field-visibility");
    }
}
