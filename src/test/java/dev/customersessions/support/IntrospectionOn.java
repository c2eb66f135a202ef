package dev.customersessions.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Switches introspection on for a black-box test of the packaged application (production turns it off), as an
 * operator would with CUSTOMER_SESSIONS_INTROSPECTION=true: the graphql-http audit queries __type.
 */
public class IntrospectionOn implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("customer-sessions.introspection", "true");
    }

    /** The test framework hands the setting over as a system property; it must not reach the next application. */
    @Override
    public void stop() {
        System.clearProperty("customer-sessions.introspection");
    }
}
