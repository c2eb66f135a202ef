package dev.customersessions.session.graphql;

import static dev.customersessions.common.JsonText.JSON;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import dev.customersessions.application.Definitions;
import dev.customersessions.common.AttributeEntity;
import dev.customersessions.common.AttributeKind;
import dev.customersessions.common.FieldPath;
import dev.customersessions.common.Money;
import dev.customersessions.common.UserErrorCode;
import dev.customersessions.common.Validation;
import dev.customersessions.session.SessionRules;

/**
 * Typed attributes in the API, one JSON object in storage: {@code {"city": {"type": "STRING", "value": "Berlin"}}}.
 * The stored form keeps the type with the value, numbers as exact JSON numbers and times as UTC ISO-8601, and is
 * canonical: equal attributes give equal objects, so a repeated update is recognised as changing nothing.
 */
final class Attributes {

    private static final String TYPE = "type";
    private static final String VALUE = "value";

    private Attributes() {
    }

    /**
     * The stored form of the attributes sent, or null when they were left out. Shape errors, names not defined for
     * the entity and values of another type than defined go to {@code v}, each with the path of its attribute.
     */
    static JsonObject toJson(List<AttributeInput> inputs, FieldPath path, AttributeEntity entity,
            Supplier<Definitions> definitions, Validation v) {
        if (inputs == null) {
            return null;
        }
        JsonObjectBuilder object = JSON.createObjectBuilder();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            AttributeInput input = inputs.get(i);
            FieldPath at = path.then(i);
            v.name(input.name, SessionRules.MAX_NAME_LENGTH, at.then("name"), "attribute name");
            if (input.name != null && !seen.add(input.name)) {
                v.fail(UserErrorCode.VALIDATION_FAILED, at.then("name"), "attribute " + Validation.quoted(input.name) + " is given twice");
                continue;
            }
            v.storable(input.stringValue, at.then("stringValue"), "stringValue");
            if (input.stringListValue != null) {
                input.stringListValue.forEach(value -> v.storable(value, at.then("stringListValue"), "stringListValue"));
            }
            List<JsonObject> values = new ArrayList<>(1);
            if (input.stringValue != null) {
                values.add(tagged(AttributeKind.STRING, JSON.createValue(input.stringValue)));
            }
            if (input.numberValue != null) {
                values.add(tagged(AttributeKind.NUMBER, JSON.createValue(Money.normalize(input.numberValue))));
            }
            if (input.booleanValue != null) {
                values.add(tagged(AttributeKind.BOOLEAN, input.booleanValue ? JsonValue.TRUE : JsonValue.FALSE));
            }
            if (input.timeValue != null) {
                OffsetDateTime time = utc(input.timeValue);
                if (time == null) {
                    v.fail(UserErrorCode.VALIDATION_FAILED, at.then("timeValue"), "timeValue must lie in the years 1 to 9999");
                }
                values.add(tagged(AttributeKind.TIME, JSON.createValue(String.valueOf(time))));
            }
            if (input.stringListValue != null) {
                JsonArrayBuilder array = JSON.createArrayBuilder();
                input.stringListValue.forEach(array::add);
                values.add(tagged(AttributeKind.STRING_LIST, array.build()));
            }
            if (input.numberListValue != null) {
                JsonArrayBuilder array = JSON.createArrayBuilder();
                input.numberListValue.forEach(n -> array.add(Money.normalize(n)));
                values.add(tagged(AttributeKind.NUMBER_LIST, array.build()));
            }
            if (values.size() != 1) {
                v.fail(UserErrorCode.VALIDATION_FAILED, at, "attribute " + Validation.quoted(input.name)
                        + " needs exactly one of stringValue, numberValue, booleanValue, timeValue, stringListValue, numberListValue; got " + values.size());
            } else if (input.name != null) {
                JsonObject value = values.get(0);
                checkDefined(input.name, AttributeKind.valueOf(value.getString(TYPE)), entity, definitions, at, v);
                object.add(input.name, value);
            }
        }
        return object.build();
    }

    private static void checkDefined(String name, AttributeKind sent, AttributeEntity entity, Supplier<Definitions> definitions,
            FieldPath at, Validation v) {
        if (!Validation.NAME.matcher(name).matches()) {
            return; // reported as malformed
        }
        AttributeKind defined = definitions.get().attribute(entity, name);
        if (defined == null) {
            v.fail(UserErrorCode.UNKNOWN_ATTRIBUTE, at.then("name"), "attribute " + Validation.quoted(name)
                    + " is not defined for " + entity.plural() + " (defineAttribute)");
        } else if (defined != sent) {
            v.fail(UserErrorCode.INVALID_ATTRIBUTE_TYPE, at.then(sent.valueField()), "attribute " + Validation.quoted(name)
                    + " of " + entity.plural() + " is defined as " + defined + ": send its value as " + defined.valueField()
                    + ", not " + sent.valueField());
        }
    }

    /** The attributes of a stored JSON object, sorted by name. */
    static List<AttributeType> fromJson(JsonObject stored) {
        Map<String, JsonValue> sorted = new TreeMap<>(stored);
        List<AttributeType> attributes = new ArrayList<>(sorted.size());
        sorted.forEach((name, tagged) -> {
            JsonObject entry = tagged.asJsonObject();
            AttributeType attribute = new AttributeType();
            attribute.name = name;
            attribute.type = AttributeKind.valueOf(entry.getString(TYPE));
            JsonValue value = entry.get(VALUE);
            switch (attribute.type) {
                case STRING -> attribute.stringValue = ((JsonString) value).getString();
                case NUMBER -> attribute.numberValue = ((JsonNumber) value).bigDecimalValue();
                case BOOLEAN -> attribute.booleanValue = value == JsonValue.TRUE;
                case TIME -> attribute.timeValue = OffsetDateTime.parse(((JsonString) value).getString());
                case STRING_LIST -> attribute.stringListValue = value.asJsonArray().getValuesAs(JsonString::getString);
                case NUMBER_LIST -> attribute.numberListValue = value.asJsonArray().getValuesAs(JsonNumber::bigDecimalValue);
            }
            attributes.add(attribute);
        });
        return attributes;
    }

    private static JsonObject tagged(AttributeKind kind, JsonValue value) {
        return JSON.createObjectBuilder().add(TYPE, kind.name()).add(VALUE, value).build();
    }

    /** The moment in UTC, or null when it lies outside the years 1 to 9999. */
    private static OffsetDateTime utc(OffsetDateTime time) {
        if (time.getYear() < 1 || time.getYear() > 9999) {
            return null;
        }
        OffsetDateTime utc = time.withOffsetSameInstant(ZoneOffset.UTC);
        return utc.getYear() < 1 || utc.getYear() > 9999 ? null : utc;
    }
}
