package dev.customersessions.auth;

import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.RequestScoped;

/**
 * The plain values of the API keys and session tokens issued while serving the current request. They are shown once, in this
 * request's response, and never stored: a stored copy of the response (an Idempotency-Key's answer) leaves them out.
 */
@RequestScoped
public class IssuedSecrets {

    private final Set<String> values = new HashSet<>();

    public void add(String plainValue) {
        values.add(plainValue);
    }

    public Set<String> values() {
        return Set.copyOf(values);
    }
}
