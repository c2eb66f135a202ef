/**
 * The engine's custom parts: everything that extends or replaces SmallRye GraphQL, graphql-java or Quarkus (the HTTP
 * handler, execution strategy, data fetchers, argument binding, scalars, instrumentations, GraphiQL's start-up script,
 * the {@code META-INF/services} hooks). Each part, what it replaces, why, the upstream class or message it relies on,
 * the test that pins it and what to check on upgrade: docs/engine.md. Features register their fast paths and paged
 * listings through {@link dev.customersessions.engine.EngineRegistration}; this package names no feature's types.
 */
package dev.customersessions.engine;
