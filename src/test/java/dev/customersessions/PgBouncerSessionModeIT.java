package dev.customersessions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import dev.customersessions.support.PgBouncerDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged application behind PgBouncer in session mode (docs/pooler.md): the acceptance flow of
 * {@link PgBouncerAcceptance}, with the listener and the time limits on the pool's own sessions, as without a pooler.
 */
@QuarkusIntegrationTest
@WithTestResource(value = PgBouncerDatabase.class, initArgs = @ResourceArg(name = "pool_mode", value = "session"))
@EnabledIf("dev.customersessions.support.PgBouncerDatabase#installed")
class PgBouncerSessionModeIT extends PgBouncerAcceptance {

    @Test
    void theRoleIsLeftAsItWas() throws Exception {
        assertEquals(List.of(), PgBouncerIT.roleSettings(), "session mode sets the limits on each session, not on the role");
    }
}
