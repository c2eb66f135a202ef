package dev.customersessions.application;

import java.util.Map;

import dev.customersessions.common.AdditionalCostScope;
import dev.customersessions.common.AttributeEntity;
import dev.customersessions.common.AttributeKind;

/**
 * The attributes and additional costs one application accepts, by name: what session updates are checked against.
 * Definitions only grow (names and types never change, scopes only widen), so a snapshot read before a write stays
 * valid for it.
 */
public record Definitions(Map<String, AttributeKind> sessionAttributes, Map<String, AttributeKind> itemAttributes,
        Map<String, AdditionalCostScope> costs) {

    /** The type of the attribute of that name, or null when it is not defined for the entity. */
    public AttributeKind attribute(AttributeEntity entity, String name) {
        return (entity == AttributeEntity.CUSTOMER_SESSION ? sessionAttributes : itemAttributes).get(name);
    }

    /** The scope of the cost of that name, or null when it is not defined. */
    public AdditionalCostScope cost(String name) {
        return costs.get(name);
    }
}
