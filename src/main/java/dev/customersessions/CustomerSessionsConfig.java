package dev.customersessions;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Business settings of the service, under the prefix {@code customer-sessions}. */
@ConfigMapping(prefix = "customer-sessions")
public interface CustomerSessionsConfig {

    /** The secret of {@code Authorization: ManagementKey-v1 <key>}; env CUSTOMER_SESSIONS_MANAGEMENT_KEY. */
    String managementKey();

    /** Page size of {@code customerSessions} when {@code first} is not given. */
    @WithDefault("20")
    int defaultPageSize();

    /** The largest page {@code customerSessions} serves; a larger {@code first} is capped to it. */
    @WithDefault("100")
    int maxPageSize();

    /** Dev mode only: the plain API key of the demo application created at start-up. */
    Optional<String> devApiKey();
}
