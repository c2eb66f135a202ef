package dev.customersessions.webhooks;

import static dev.customersessions.common.JsonText.JSON;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.common.AttributeKind;
import dev.customersessions.common.JsonText;
import dev.customersessions.common.LimitExceededException;
import dev.customersessions.common.Money;
import dev.customersessions.events.StoredEvent;
import dev.customersessions.session.AdditionalCostData;
import dev.customersessions.session.CartItemReturn;
import dev.customersessions.session.CartLine;
import dev.customersessions.session.CartTotals;
import dev.customersessions.session.CustomerSession;
import dev.customersessions.session.CustomerSessionService;
import dev.customersessions.session.SessionEventKind;
import dev.customersessions.session.SessionSnapshot;

/**
 * The JSON body of a webhook delivery (docs/webhooks.md#the-payload), built at fan-out:
 * {@code {"id", "type", "occurredAt", "applicationId", "integrationId", "sequence", "session", "sessionOmitted"}}, with
 * the session as stored then, field by field as the GraphQL type {@code CustomerSession} names them (every field, ids and
 * amounts as strings), or null for a deletion, a session gone since, or one too large for
 * {@code customer-sessions.webhooks.max-body-bytes} ({@code sessionOmitted} true).
 */
@ApplicationScoped
public class WebhookBodies {

    /** The body's bytes beyond the session's, at most (a 1000-character integration id, every other field). */
    private static final int ENVELOPE_BYTES = 4096;

    @Inject
    CustomerSessionService sessions;

    @Inject
    CustomerSessionsConfig config;

    /** The session of an event as stored at fan-out: null when it is gone; {@code tooLarge} when it cannot be sent. */
    public record SessionRead(SessionSnapshot snapshot, boolean tooLarge) {

        static final SessionRead GONE = new SessionRead(null, false);
        static final SessionRead TOO_LARGE = new SessionRead(null, true);
    }

    /** The session of the event as stored now, with its returns (none for a deletion, or when it was replaced under its id). */
    public SessionRead sessionOf(StoredEvent event) {
        if (event.kind() == SessionEventKind.DELETED) {
            return SessionRead.GONE;
        }
        SessionSnapshot snapshot;
        try {
            // a cart line takes 100 bytes at the least: more lines than this cannot fit the body
            snapshot = sessions.find(event.applicationId(), event.integrationId(), null, config.webhooks().maxBodyBytes() / 100).orElse(null);
        } catch (LimitExceededException tooManyLines) {
            return SessionRead.TOO_LARGE;
        }
        if (snapshot == null || snapshot.session().id != event.sessionId()) {
            return SessionRead.GONE;
        }
        List<CartItemReturn> returns = snapshot.session().mayHaveReturns()
                ? sessions.returnsOf(event.applicationId(), List.of(snapshot.session().id)).get(snapshot.session().id) : List.of();
        return new SessionRead(new SessionSnapshot(snapshot.session(), snapshot.cart(), returns), false);
    }

    /**
     * The body after its {@code {"id":"<delivery id>",}: the same for every endpoint the event goes to, with the session
     * as {@link #sessionOf} read it, left out when the body would be larger than the bound.
     */
    public String bodyAfterId(StoredEvent event, SessionRead session) {
        String body = render(event, session.snapshot(), session.tooLarge());
        if (session.snapshot() != null && body.getBytes(StandardCharsets.UTF_8).length + ENVELOPE_BYTES > config.webhooks().maxBodyBytes()) {
            body = render(event, null, true);
        }
        return body.substring(1); // "{" is written before the id
    }

    private static String render(StoredEvent event, SessionSnapshot session, boolean omitted) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.write("type", event.kind().name());
            json.write("occurredAt", time(event.occurred()));
            json.write("applicationId", String.valueOf(event.applicationId()));
            json.write("integrationId", event.integrationId());
            json.write("sequence", event.version());
            if (session == null) {
                json.writeNull("session");
            } else {
                json.writeKey("session");
                session(json, session);
            }
            json.write("sessionOmitted", omitted);
            json.writeEnd();
        }
        return text.toString();
    }

    private static void session(JsonGenerator json, SessionSnapshot snapshot) {
        CustomerSession s = snapshot.session();
        CartTotals totals = CartTotals.of(snapshot.cart(), s.additionalCosts);
        json.writeStartObject();
        json.write("id", String.valueOf(s.id));
        json.write("integrationId", s.integrationId);
        json.write("applicationId", String.valueOf(s.applicationId));
        text(json, "profileId", s.profileId);
        json.write("state", s.state.name());
        json.write("version", s.version);
        json.write("created", time(s.created));
        json.write("updated", time(s.updated));
        text(json, "cartSetBy", s.cartSetBy);
        strings(json, "couponCodes", s.couponCodes);
        text(json, "referralCode", s.referralCode);
        strings(json, "loyaltyCards", s.loyaltyCards);
        strings(json, "identifiers", s.identifiers);
        attributes(json, s.attributes);
        costs(json, s.additionalCosts);
        json.write("firstSession", s.firstSession);
        text(json, "mergedInto", s.mergedInto);
        json.writeStartArray("cartItems");
        for (CartLine line : snapshot.cart()) {
            cartItem(json, line);
        }
        json.writeEnd();
        json.writeStartArray("returns");
        for (CartItemReturn r : snapshot.returns()) {
            json.writeStartObject().write("id", String.valueOf(r.id())).write("created", time(r.created())).writeStartArray("items");
            r.lines().forEach(line -> json.writeStartObject().write("position", line.position()).write("quantity", line.quantity()).writeEnd());
            json.writeEnd().writeEnd();
        }
        json.writeEnd();
        amount(json, "cartItemTotal", totals.cartItemTotal());
        amount(json, "cartItemAdditionalCostTotal", totals.cartItemAdditionalCostTotal());
        amount(json, "additionalCostTotal", totals.additionalCostTotal());
        amount(json, "total", totals.total());
        amount(json, "returnedCartItemTotal", totals.returnedCartItemTotal());
        json.writeEnd();
    }

    private static void cartItem(JsonGenerator json, CartLine line) {
        json.writeStartObject();
        json.write("sku", line.sku());
        text(json, "name", line.name());
        text(json, "category", line.category());
        json.write("quantity", line.quantity());
        amount(json, "price", line.price());
        if (line.productName() == null) {
            json.writeNull("product");
        } else {
            json.writeStartObject("product").write("name", line.productName()).writeEnd();
        }
        amount(json, "weight", line.weight());
        amount(json, "height", line.height());
        amount(json, "width", line.width());
        amount(json, "length", line.length());
        json.write("returnedQuantity", line.returnedQuantity());
        json.write("remainingQuantity", line.quantity() - line.returnedQuantity());
        json.write("position", line.position());
        json.write("lineId", String.valueOf(line.lineId()));
        attributes(json, line.attributes());
        costs(json, line.costs());
        json.writeEnd();
    }

    /** Attributes as the GraphQL type Attribute serves them: name, type, and every value field (those of other types null). */
    private static void attributes(JsonGenerator json, String stored) {
        JsonObject attributes = JsonText.parse(stored);
        json.writeStartArray("attributes");
        for (Map.Entry<String, JsonValue> attribute : new TreeMap<>(attributes).entrySet()) {
            JsonObject tagged = attribute.getValue().asJsonObject();
            AttributeKind type = AttributeKind.valueOf(tagged.getString("type"));
            JsonValue value = tagged.get("value");
            json.writeStartObject().write("name", attribute.getKey()).write("type", type.name());
            for (AttributeKind field : AttributeKind.values()) {
                if (field != type) {
                    json.writeNull(field.valueField());
                } else if (type == AttributeKind.NUMBER) {
                    amount(json, field.valueField(), ((JsonNumber) value).bigDecimalValue());
                } else if (type == AttributeKind.NUMBER_LIST) {
                    json.writeStartArray(field.valueField());
                    value.asJsonArray().getValuesAs(JsonNumber::bigDecimalValue).forEach(n -> json.write(Money.normalize(n).toPlainString()));
                    json.writeEnd();
                } else if (type == AttributeKind.TIME) {
                    json.write(field.valueField(), time(OffsetDateTime.parse(((jakarta.json.JsonString) value).getString())));
                } else {
                    json.write(field.valueField(), value); // strings, booleans and lists of strings as stored
                }
            }
            json.writeEnd();
        }
        json.writeEnd();
    }

    private static void costs(JsonGenerator json, List<AdditionalCostData> costs) {
        json.writeStartArray("additionalCosts");
        costs.forEach(cost -> json.writeStartObject().write("name", cost.name()).write("price", Money.normalize(cost.price()).toPlainString()).writeEnd());
        json.writeEnd();
    }

    private static void strings(JsonGenerator json, String name, List<String> values) {
        json.writeStartArray(name);
        values.forEach(json::write);
        json.writeEnd();
    }

    private static void text(JsonGenerator json, String name, String value) {
        if (value == null) {
            json.writeNull(name);
        } else {
            json.write(name, value);
        }
    }

    /** An exact decimal as the API serves it: a string, plain notation, no trailing zeros. */
    private static void amount(JsonGenerator json, String name, BigDecimal value) {
        text(json, name, value == null ? null : Money.normalize(value).toPlainString());
    }

    private static String time(OffsetDateTime time) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
    }

}
