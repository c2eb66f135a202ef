package dev.customersessions.session;

import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;

/** docs/sessions.md: an integrationId is compared exactly, neither case-folded nor trimmed. */
@QuarkusTest
class IntegrationIdTest {

    @Test
    void idsThatDifferInCaseOrWhitespaceAreDifferentSessions() {
        TestApplication shop = TestApplication.create();
        List<String> ids = List.of("Cart-1", "cart-1", " cart-1");
        Set<Object> sessions = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, Object> created = shop.updateOk(ids.get(i), vars("couponCodes", List.of("C" + i)));
            assertEquals(1, ((Number) created.get("version")).intValue(), ids.get(i) + " is a new session");
            sessions.add(created.get("id"));
        }
        assertEquals(3, sessions.size());
        for (int i = 0; i < ids.size(); i++) {
            Map<String, Object> stored = shop.stored(ids.get(i));
            assertEquals(ids.get(i), stored.get("integrationId"), "stored as sent");
            assertEquals(List.of("C" + i), stored.get("couponCodes"));
        }
    }
}
