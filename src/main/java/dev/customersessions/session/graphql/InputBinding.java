package dev.customersessions.session.graphql;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.customersessions.session.SessionState;

/**
 * Binds the {@code input} of {@code updateCustomerSession} to {@link CustomerSessionInput} straight from the values
 * graphql-java has coerced (and checked against the schema), before SmallRye's data fetcher sees it (the engine calls
 * it, see {@code EngineRegistration#boundArguments()}). SmallRye binds
 * an input object by writing the argument map out as JSON text and reading that text back with JSON-B: for a
 * 1000-item cart that round trip, and the garbage it makes, took most of an update's time. SmallRye passes an
 * argument that already has its Java class through as it is.
 *
 * <p>Anything this binding does not expect (a key or a value type the schema would not give) leaves the argument
 * to SmallRye, as before.
 */
final class InputBinding {

    /** How many inputs were bound here (not left to SmallRye): what shows that the binding is in use. */
    static final java.util.concurrent.atomic.AtomicLong BOUND = new java.util.concurrent.atomic.AtomicLong();

    private InputBinding() {
    }

    /** The input bound, or null to leave it to SmallRye; registered by {@link SessionEngineRegistration}. */
    static Object bind(Map<?, ?> map) {
        CustomerSessionInput bound = bindOrNull(map);
        if (bound != null) {
            BOUND.incrementAndGet();
        }
        return bound;
    }

    static CustomerSessionInput bindOrNull(Map<?, ?> map) {
        try {
            return session(map);
        } catch (NotBindable e) {
            return null;
        }
    }

    /** Something the binding does not expect: SmallRye binds the argument instead. */
    private static final class NotBindable extends Exception {
        NotBindable() {
            super(null, null, false, false);
        }
    }

    private static final Set<String> SESSION = Set.of("profileId", "couponCodes", "referralCode", "loyaltyCards", "state", "cartItems",
            "additionalCosts", "identifiers", "attributes");
    private static final Set<String> ITEM = Set.of("sku", "name", "category", "quantity", "price", "product", "weight", "height", "width",
            "length", "attributes", "additionalCosts");
    private static final Set<String> COST = Set.of("name", "price");
    private static final Set<String> ATTRIBUTE = Set.of("name", "stringValue", "numberValue", "booleanValue", "timeValue",
            "stringListValue", "numberListValue");
    private static final Set<String> PRODUCT = Set.of("name");

    private static CustomerSessionInput session(Map<?, ?> map) throws NotBindable {
        known(map, SESSION);
        CustomerSessionInput in = new CustomerSessionInput();
        in.profileId = nullable(map.get("profileId"), String.class);
        in.couponCodes = strings(map.get("couponCodes"));
        in.referralCode = nullable(map.get("referralCode"), String.class);
        in.loyaltyCards = strings(map.get("loyaltyCards"));
        in.state = state(map.get("state"));
        in.identifiers = strings(map.get("identifiers"));
        in.attributes = attributes(map.get("attributes"));
        in.additionalCosts = costs(map.get("additionalCosts"));
        Object items = map.get("cartItems");
        if (items != null) {
            in.cartItems = new ArrayList<>();
            for (Object item : list(items)) {
                in.cartItems.add(item(object(item)));
            }
        }
        return in;
    }

    private static CartItemInput item(Map<?, ?> map) throws NotBindable {
        known(map, ITEM);
        CartItemInput in = new CartItemInput();
        in.sku = nullable(map.get("sku"), String.class);
        in.name = nullable(map.get("name"), String.class);
        in.category = nullable(map.get("category"), String.class);
        in.quantity = nullable(map.get("quantity"), Integer.class);
        in.price = nullable(map.get("price"), BigDecimal.class);
        Object product = map.get("product");
        if (product != null) {
            Map<?, ?> fields = object(product);
            known(fields, PRODUCT);
            in.product = new CartItemInput.ProductInput();
            in.product.name = nullable(fields.get("name"), String.class);
        }
        in.weight = nullable(map.get("weight"), BigDecimal.class);
        in.height = nullable(map.get("height"), BigDecimal.class);
        in.width = nullable(map.get("width"), BigDecimal.class);
        in.length = nullable(map.get("length"), BigDecimal.class);
        in.attributes = attributes(map.get("attributes"));
        in.additionalCosts = costs(map.get("additionalCosts"));
        return in;
    }

    private static List<AdditionalCostInput> costs(Object value) throws NotBindable {
        if (value == null) {
            return null;
        }
        List<AdditionalCostInput> costs = new ArrayList<>();
        for (Object element : list(value)) {
            Map<?, ?> map = object(element);
            known(map, COST);
            AdditionalCostInput cost = new AdditionalCostInput();
            cost.name = nullable(map.get("name"), String.class);
            cost.price = nullable(map.get("price"), BigDecimal.class);
            costs.add(cost);
        }
        return costs;
    }

    private static List<AttributeInput> attributes(Object value) throws NotBindable {
        if (value == null) {
            return null;
        }
        List<AttributeInput> attributes = new ArrayList<>();
        for (Object element : list(value)) {
            Map<?, ?> map = object(element);
            known(map, ATTRIBUTE);
            AttributeInput attribute = new AttributeInput();
            attribute.name = nullable(map.get("name"), String.class);
            attribute.stringValue = nullable(map.get("stringValue"), String.class);
            attribute.numberValue = nullable(map.get("numberValue"), BigDecimal.class);
            attribute.booleanValue = nullable(map.get("booleanValue"), Boolean.class);
            attribute.timeValue = time(map.get("timeValue"));
            attribute.stringListValue = strings(map.get("stringListValue"));
            Object numbers = map.get("numberListValue");
            if (numbers != null) {
                attribute.numberListValue = new ArrayList<>();
                for (Object number : list(numbers)) {
                    attribute.numberListValue.add(nullable(number, BigDecimal.class));
                }
            }
            attributes.add(attribute);
        }
        return attributes;
    }

    private static void known(Map<?, ?> map, Set<String> keys) throws NotBindable {
        for (Object key : map.keySet()) {
            if (!keys.contains(key)) {
                throw new NotBindable();
            }
        }
    }

    private static Map<?, ?> object(Object value) throws NotBindable {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new NotBindable();
    }

    private static List<?> list(Object value) throws NotBindable {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new NotBindable();
    }

    /** The value as the type graphql-java coerced it to (null stays null); anything else is not bound here. */
    private static <T> T nullable(Object value, Class<T> type) throws NotBindable {
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw new NotBindable();
    }

    private static List<String> strings(Object value) throws NotBindable {
        if (value == null) {
            return null;
        }
        List<String> strings = new ArrayList<>();
        for (Object element : list(value)) {
            strings.add(nullable(element, String.class));
        }
        return strings;
    }

    private static OffsetDateTime time(Object value) throws NotBindable {
        if (value == null || value instanceof OffsetDateTime) {
            return (OffsetDateTime) value;
        }
        if (value instanceof String text) {
            try {
                return OffsetDateTime.parse(text);
            } catch (DateTimeParseException e) {
                throw new NotBindable();
            }
        }
        throw new NotBindable();
    }

    private static SessionState state(Object value) throws NotBindable {
        if (value == null || value instanceof SessionState) {
            return (SessionState) value;
        }
        if (value instanceof String name) {
            try {
                return SessionState.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new NotBindable();
            }
        }
        throw new NotBindable();
    }
}
