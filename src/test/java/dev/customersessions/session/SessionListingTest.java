package dev.customersessions.session;

import static dev.customersessions.support.GraphQLClient.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.customersessions.support.TestApplication;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** customerSessions: cursor pages with no duplicates or gaps, filters, and the cap on page size. */
@QuarkusTest
class SessionListingTest {

    private TestApplication shop;

    @BeforeEach
    void createApplication() {
        shop = TestApplication.create();
    }

    private List<String> allPages(Map<String, Object> filter, int pageSize) {
        List<String> seen = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 100; page++) {
            JsonPath response = shop.call("customerSessions", vars("filter", filter, "first", pageSize, "after", after));
            List<String> ids = response.getList("data.customerSessions.edges.node.integrationId");
            assertTrue(ids.size() <= pageSize);
            seen.addAll(ids);
            if (!response.getBoolean("data.customerSessions.pageInfo.hasNextPage")) {
                return seen;
            }
            after = response.getString("data.customerSessions.pageInfo.endCursor");
            assertEquals(response.getString("data.customerSessions.edges[-1].cursor"), after);
        }
        throw new AssertionError("paging did not end");
    }

    @Test
    void pagesThroughEverySessionOnceInCreationOrder() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String id = "s-" + i;
            shop.updateOk(id, Map.of("profileId", i % 2 == 0 ? "even" : "odd"));
            created.add(id);
        }
        List<String> listed = allPages(null, 5);
        assertEquals(created, listed, "every session once, no gaps, in a stable order");
        assertEquals(created, allPages(null, 100));
        assertEquals(created.size(), new HashSet<>(listed).size());

        // A session created while paging shows up at the end, and nothing is skipped.
        JsonPath first = shop.call("customerSessions", vars("first", 10));
        shop.updateOk("s-late", Map.of());
        JsonPath rest = shop.call("customerSessions", vars("first", 100, "after", first.getString("data.customerSessions.pageInfo.endCursor")));
        List<String> combined = new ArrayList<>(first.getList("data.customerSessions.edges.node.integrationId"));
        combined.addAll(rest.getList("data.customerSessions.edges.node.integrationId"));
        List<String> expected = new ArrayList<>(created);
        expected.add("s-late");
        assertEquals(expected, combined);
    }

    @Test
    void filtersByProfileStateCouponAndCreatedRange() {
        shop.updateOk("a", Map.of("profileId", "ann", "couponCodes", List.of("SPRING", "VIP")));
        shop.updateOk("b", Map.of("profileId", "bob", "couponCodes", List.of("VIP")));
        shop.updateOk("c", Map.of("profileId", "ann", "state", "closed"));
        OffsetDateTime between = OffsetDateTime.parse((String) shop.stored("c").get("created"));
        shop.updateOk("d", Map.of("profileId", "ann"));
        shop.updateOk("b", Map.of("state", "cancelled"));

        assertEquals(List.of("a", "c", "d"), allPages(Map.of("profileId", "ann"), 2));
        assertEquals(List.of("c"), allPages(Map.of("state", "closed"), 2));
        assertEquals(List.of("b"), allPages(Map.of("state", "cancelled"), 2));
        assertEquals(List.of("a", "b"), allPages(Map.of("couponCode", "VIP"), 1));
        assertEquals(List.of("a"), allPages(Map.of("couponCode", "SPRING", "profileId", "ann"), 10));
        assertEquals(List.of(), allPages(Map.of("couponCode", "NONE"), 10));
        assertEquals(List.of("c", "d"), allPages(Map.of("createdFrom", between.toString()), 10));
        assertEquals(List.of("a", "b"), allPages(Map.of("createdBefore", between.toString()), 10));
        assertEquals(List.of("d"), allPages(Map.of("createdFrom", between.toString(), "state", "open", "profileId", "ann"), 10));
    }

    @Test
    void pageSizeIsCappedAndChecked() {
        for (int i = 0; i < 3; i++) {
            shop.updateOk("s-" + i, Map.of());
        }
        JsonPath defaults = shop.call("customerSessions", vars());
        assertEquals(3, defaults.getList("data.customerSessions.edges").size());
        assertFalse(defaults.getBoolean("data.customerSessions.pageInfo.hasNextPage"));

        JsonPath huge = shop.call("customerSessions", vars("first", 1_000_000));
        assertEquals(3, huge.getList("data.customerSessions.edges").size(), "capped, not refused");

        JsonPath zero = shop.call("customerSessions", vars("first", 0));
        assertEquals("VALIDATION_FAILED", zero.getString("errors[0].extensions.code"));
        JsonPath badCursor = shop.call("customerSessions", vars("after", "not-a-cursor"));
        assertEquals("VALIDATION_FAILED", badCursor.getString("errors[0].extensions.code"));
        assertTrue(badCursor.getString("errors[0].message").contains("not a cursor"));
        assertNull(badCursor.get("data"));

        JsonPath empty = TestApplication.create().call("customerSessions", vars());
        assertEquals(List.of(), empty.getList("data.customerSessions.edges"));
        assertNull(empty.get("data.customerSessions.pageInfo.endCursor"));
    }

    @Test
    void hundredAndOneSessionsNeedTwoPagesOfTheMaximumSize() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 101; i++) {
            created.add(shop.updateOk("s-" + i, Map.of()).get("integrationId").toString());
        }
        JsonPath first = shop.call("customerSessions", vars("first", 500));
        assertEquals(100, first.getList("data.customerSessions.edges").size());
        assertTrue(first.getBoolean("data.customerSessions.pageInfo.hasNextPage"));
        assertEquals(created, new HashSet<>(allPages(null, 100)));
    }
}
