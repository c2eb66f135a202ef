package dev.customersessions.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a request may choose the standard execution ({@link ExecutionPath}). Prefix {@code customer-sessions.engine}. */
@ConfigMapping(prefix = "customer-sessions.engine")
public interface ExecutionPathConfig {

    /**
     * Whether the header {@code X-Standard-Execution: true} sends a request past the fast paths. On in the test profile
     * only (the differential test); off, a request cannot tell the service how to execute it.
     */
    @WithDefault("false")
    boolean standardExecutionHeader();
}
