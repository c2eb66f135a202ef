package dev.customersessions.application;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.customersessions.application.Invalidations;
import dev.customersessions.common.AdditionalCostScope;
import dev.customersessions.common.AttributeEntity;
import dev.customersessions.common.AttributeKind;
import dev.customersessions.common.Clock;
import dev.customersessions.common.FieldPath;
import dev.customersessions.common.RefusedException;
import dev.customersessions.common.UserErrorCode;
import dev.customersessions.common.Validation;
import dev.customersessions.idempotency.IdempotentWrites;
import dev.customersessions.idempotency.RequestKey;

/**
 * Attribute and additional cost definitions: defining them (management) and reading them (session updates are
 * checked against them). Definitions only grow: a name and an attribute's type never change, a cost's scope only
 * widens, so every session update that was accepted stays acceptable.
 */
@ApplicationScoped
public class DefinitionService {

    /** Attribute definitions per application (both entities together). */
    public static final int MAX_ATTRIBUTE_DEFINITIONS = 500;
    /** Additional cost definitions per application. */
    public static final int MAX_COST_DEFINITIONS = 100;
    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_TITLE_LENGTH = 200;
    public static final int MAX_DESCRIPTION_LENGTH = 1000;

    private static final FieldPath INPUT = FieldPath.of("input");

    @Inject
    IdempotentWrites writes;

    @Inject
    DefinitionRepository definitions;

    @Inject
    EntityManager entityManager;

    @Inject
    Invalidations invalidations;

    /**
     * The settings of one application that session updates are checked and stored by: cached (evicted on every
     * replica when they change), else read in one statement (in the caller's transaction, when there is one).
     */
    @Transactional
    public ApplicationSettings settingsOf(long applicationId) {
        return invalidations.settings().get(String.valueOf(applicationId), () -> Optional.of(read(applicationId))).orElseThrow();
    }

    private ApplicationSettings read(long applicationId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select 'F', null, cast(cart_item_flattening as varchar) from application where id = :app
                union all select entity, name, type from attribute_definition where application_id = :app
                union all select 'COST', name, scope from additional_cost_definition where application_id = :app""", Object[].class)
                .setParameter("app", applicationId).getResultList();
        boolean flattening = false;
        Map<String, AttributeKind> session = new HashMap<>();
        Map<String, AttributeKind> item = new HashMap<>();
        Map<String, AdditionalCostScope> costs = new HashMap<>();
        for (Object[] row : rows) {
            String kind = (String) row[0];
            String value = (String) row[2];
            switch (kind) {
                case "F" -> flattening = Boolean.parseBoolean(value);
                case "COST" -> costs.put((String) row[1], AdditionalCostScope.valueOf(value));
                default -> (AttributeEntity.valueOf(kind) == AttributeEntity.CUSTOMER_SESSION ? session : item)
                        .put((String) row[1], AttributeKind.valueOf(value));
            }
        }
        return new ApplicationSettings(flattening, new Definitions(Map.copyOf(session), Map.copyOf(item), Map.copyOf(costs)));
    }

    /** The attribute definitions of each application (by entity, then name); applications without any map to []. */
    @Transactional
    public Map<Long, List<AttributeDefinition>> attributesOf(Collection<Long> applicationIds) {
        Map<Long, List<AttributeDefinition>> result = byApplication(applicationIds);
        definitions.attributes(applicationIds).forEach(d -> result.get(d.applicationId).add(d));
        return result;
    }

    /** The additional cost definitions of each application (by name); applications without any map to []. */
    @Transactional
    public Map<Long, List<AdditionalCostDefinition>> costsOf(Collection<Long> applicationIds) {
        Map<Long, List<AdditionalCostDefinition>> result = byApplication(applicationIds);
        definitions.costs(applicationIds).forEach(d -> result.get(d.applicationId).add(d));
        return result;
    }

    private static <T> Map<Long, List<T>> byApplication(Collection<Long> applicationIds) {
        Map<Long, List<T>> result = new LinkedHashMap<>();
        applicationIds.forEach(id -> result.put(id, new ArrayList<>()));
        return result;
    }

    /**
     * Defines an attribute, or changes the description of the one defined under that entity and name. Its type
     * cannot change.
     */
    public AttributeDefinition defineAttribute(long applicationId, AttributeEntity entity, String name, AttributeKind type,
            String description, RequestKey key) {
        return writes.run(key, () -> storeAttribute(applicationId, entity, name, type, description));
    }

    private AttributeDefinition storeAttribute(long applicationId, AttributeEntity entity, String name, AttributeKind type,
            String description) {
        Validation v = new Validation();
        v.name(name, MAX_NAME_LENGTH, INPUT.then("name"), "attribute name");
        v.optionalText(description, MAX_DESCRIPTION_LENGTH, INPUT.then("description"), "description");
        v.throwIfFailed();
        lockApplication(applicationId);
        List<AttributeDefinition> existing = definitions.attributes(Set.of(applicationId));
        for (AttributeDefinition d : existing) {
            if (d.entity == entity && d.name.equals(name)) {
                if (d.type != type) {
                    throw new RefusedException(UserErrorCode.VALIDATION_FAILED, INPUT.then("type"), "attribute "
                            + Validation.quoted(name) + " is defined for " + entity.plural() + " as " + d.type
                            + "; a definition's name and type cannot change");
                }
                if (description != null) {
                    d.description = emptyToNull(description);
                }
                return d;
            }
        }
        if (existing.size() >= MAX_ATTRIBUTE_DEFINITIONS) {
            throw new RefusedException(UserErrorCode.LIMIT_EXCEEDED, INPUT, "an application can define at most "
                    + MAX_ATTRIBUTE_DEFINITIONS + " attributes");
        }
        AttributeDefinition d = new AttributeDefinition();
        d.applicationId = applicationId;
        d.entity = entity;
        d.name = name;
        d.type = type;
        d.description = description == null ? null : emptyToNull(description);
        d.created = Clock.now();
        definitions.persist(d);
        return d;
    }

    /**
     * Defines an additional cost, or changes the title, description and scope of the one defined under that name.
     * The scope only widens (SESSION or ITEM to BOTH), so that costs already stored remain valid.
     */
    public AdditionalCostDefinition defineCost(long applicationId, String name, String title, String description,
            AdditionalCostScope scope, RequestKey key) {
        return writes.run(key, () -> storeCost(applicationId, name, title, description, scope));
    }

    private AdditionalCostDefinition storeCost(long applicationId, String name, String title, String description,
            AdditionalCostScope scope) {
        Validation v = new Validation();
        v.name(name, MAX_NAME_LENGTH, INPUT.then("name"), "additional cost name");
        v.requiredText(title, MAX_TITLE_LENGTH, INPUT.then("title"), "title");
        v.optionalText(description, MAX_DESCRIPTION_LENGTH, INPUT.then("description"), "description");
        v.throwIfFailed();
        lockApplication(applicationId);
        List<AdditionalCostDefinition> existing = definitions.costs(Set.of(applicationId));
        for (AdditionalCostDefinition d : existing) {
            if (d.name.equals(name)) {
                if (!d.scope.canBecome(scope)) {
                    throw new RefusedException(UserErrorCode.VALIDATION_FAILED, INPUT.then("scope"), "additional cost "
                            + Validation.quoted(name) + " has scope " + d.scope + "; a scope can only widen to BOTH");
                }
                d.scope = scope;
                d.title = title;
                if (description != null) {
                    d.description = emptyToNull(description);
                }
                return d;
            }
        }
        if (existing.size() >= MAX_COST_DEFINITIONS) {
            throw new RefusedException(UserErrorCode.LIMIT_EXCEEDED, INPUT, "an application can define at most "
                    + MAX_COST_DEFINITIONS + " additional costs");
        }
        AdditionalCostDefinition d = new AdditionalCostDefinition();
        d.applicationId = applicationId;
        d.name = name;
        d.title = title;
        d.description = description == null ? null : emptyToNull(description);
        d.scope = scope;
        d.created = Clock.now();
        definitions.persist(d);
        return d;
    }

    private static String emptyToNull(String text) {
        return text.isEmpty() ? null : text;
    }

    /** Serializes the definition changes of one application (names stay unique, limits hold). */
    private void lockApplication(long applicationId) {
        if (entityManager.find(Application.class, applicationId, LockModeType.PESSIMISTIC_WRITE) == null) {
            throw new RefusedException(UserErrorCode.NOT_FOUND, FieldPath.of("applicationId"), "no application with id " + applicationId);
        }
        invalidations.publish(invalidations.settings(), String.valueOf(applicationId));
    }
}
