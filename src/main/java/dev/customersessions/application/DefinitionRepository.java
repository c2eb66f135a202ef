package dev.customersessions.application;

import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** Persistence of attribute and additional cost definitions, always by application. */
@ApplicationScoped
public class DefinitionRepository {

    @Inject
    EntityManager entityManager;

    public List<AttributeDefinition> attributes(Collection<Long> applicationIds) {
        return entityManager.createQuery("from AttributeDefinition d where d.applicationId in :apps "
                + "order by d.applicationId, d.entity, d.name", AttributeDefinition.class)
                .setParameter("apps", applicationIds).getResultList();
    }

    public List<AdditionalCostDefinition> costs(Collection<Long> applicationIds) {
        return entityManager.createQuery("from AdditionalCostDefinition d where d.applicationId in :apps "
                + "order by d.applicationId, d.name", AdditionalCostDefinition.class)
                .setParameter("apps", applicationIds).getResultList();
    }

    public void persist(Object definition) {
        entityManager.persist(definition);
    }
}
