package dev.customersessions.session;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Parameters;

/** Persistence of customer sessions and their carts. Every lookup is scoped to one application. */
@ApplicationScoped
public class CustomerSessionRepository implements PanacheRepository<CustomerSession> {

    public Optional<CustomerSession> findByIntegrationId(long applicationId, String integrationId) {
        return find("applicationId = :app and integrationId = :id",
                Parameters.with("app", applicationId).and("id", integrationId)).firstResultOptional();
    }

    /** The session, locked against concurrent writers until the transaction ends. */
    public Optional<CustomerSession> findByIntegrationIdForUpdate(long applicationId, String integrationId) {
        return find("applicationId = :app and integrationId = :id",
                Parameters.with("app", applicationId).and("id", integrationId))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public boolean profileHasSession(long applicationId, String profileId) {
        return count("applicationId = :app and profileId = :profile",
                Parameters.with("app", applicationId).and("profile", profileId)) > 0;
    }

    /**
     * Serializes the creation of sessions of one profile, so that only one of two concurrent first sessions
     * counts as the first. Held until the transaction ends.
     */
    public void lockProfile(long applicationId, String profileId) {
        advisoryLock("profile:" + applicationId + ":" + profileId);
    }

    /** Serializes the creation of one integration id's session. Held until the transaction ends. */
    public void lockCreation(long applicationId, String integrationId) {
        advisoryLock("session:" + applicationId + ":" + integrationId);
    }

    private void advisoryLock(String key) {
        // Two different keys may share a hash; they then merely wait for each other.
        getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .setParameter("key", key).getSingleResult();
    }

    /** One page of an application's sessions in id order, after the given id, with {@code limit} rows at most. */
    public List<CustomerSession> page(long applicationId, SessionFilter filter, Long afterId, int limit) {
        StringBuilder query = new StringBuilder("from CustomerSession s where s.applicationId = :app");
        Parameters parameters = Parameters.with("app", applicationId);
        if (filter.profileId() != null) {
            query.append(" and s.profileId = :profile");
            parameters.and("profile", filter.profileId());
        }
        if (filter.state() != null) {
            query.append(" and s.state = :state");
            parameters.and("state", filter.state());
        }
        if (filter.createdFrom() != null) {
            query.append(" and s.created >= :from");
            parameters.and("from", filter.createdFrom());
        }
        if (filter.createdBefore() != null) {
            query.append(" and s.created < :before");
            parameters.and("before", filter.createdBefore());
        }
        if (filter.couponCode() != null) {
            query.append(" and array_contains(s.couponCodes, :code)");
            parameters.and("code", filter.couponCode());
        }
        if (afterId != null) {
            query.append(" and s.id > :after");
            parameters.and("after", afterId);
        }
        query.append(" order by s.id");
        return find(query.toString(), parameters).range(0, limit - 1).list();
    }

    /** The cart items of the given sessions, in session and cart order, with their costs: two statements. */
    public List<CartItem> cartItemsOf(Collection<Long> sessionIds) {
        List<CartItem> items = getEntityManager()
                .createQuery("from CartItem i where i.session.id in :ids order by i.session.id, i.position", CartItem.class)
                .setParameter("ids", sessionIds).getResultList();
        if (!items.isEmpty()) {
            // Subselect fetching loads the costs of every item above in one statement.
            items.get(0).additionalCosts.size();
        }
        return items;
    }
}
