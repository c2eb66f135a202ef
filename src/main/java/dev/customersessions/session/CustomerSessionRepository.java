package dev.customersessions.session;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;


import dev.customersessions.common.LimitExceededException;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Parameters;

/** Persistence of customer sessions and their carts. Every lookup is scoped to one application. */
@ApplicationScoped
public class CustomerSessionRepository implements PanacheRepository<CustomerSession> {

    /**
     * Ids and profiles are indexed by the MD5 of their text (they may be longer than a btree entry can hold, see
     * migration V2): every lookup compares the hashes, computed by PostgreSQL as the index is, so that the index
     * serves it, and then the text itself. (Spelled pg_catalog.md5 because Hibernate renders its own md5 as a bytea,
     * which the index does not hold.)
     */
    private static final String BY_INTEGRATION_ID = "applicationId = :app and function('pg_catalog.md5', integrationId) = "
            + "function('pg_catalog.md5', cast(:id as String)) and integrationId = :id";
    private static final String BY_PROFILE = "function('pg_catalog.md5', profileId) = function('pg_catalog.md5', cast(:profile as String)) "
            + "and profileId = :profile";

    public Optional<CustomerSession> findByIntegrationId(long applicationId, String integrationId) {
        return find(BY_INTEGRATION_ID, byIntegrationId(applicationId, integrationId)).firstResultOptional();
    }

    /** The session, locked against concurrent writers until the transaction ends. */
    public Optional<CustomerSession> findByIntegrationIdForUpdate(long applicationId, String integrationId) {
        return find(BY_INTEGRATION_ID, byIntegrationId(applicationId, integrationId))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    private static Parameters byIntegrationId(long applicationId, String integrationId) {
        return Parameters.with("app", applicationId).and("id", integrationId);
    }

    public boolean profileHasSession(long applicationId, String profileId) {
        return count("applicationId = :app and " + BY_PROFILE, Parameters.with("app", applicationId).and("profile", profileId)) > 0;
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
            query.append(" and ").append(BY_PROFILE);
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

    /** The returns of the given sessions, in session and return order, with their lines: two statements. */
    public List<CartItemReturn> returnsOf(Collection<Long> sessionIds) {
        List<CartItemReturn> returns = getEntityManager()
                .createQuery("from CartItemReturn r where r.sessionId in :ids order by r.sessionId, r.id", CartItemReturn.class)
                .setParameter("ids", sessionIds).getResultList();
        if (!returns.isEmpty()) {
            returns.get(0).lines.size(); // subselect fetch: the lines of every return above
        }
        return returns;
    }

    /**
     * The cart lines of the given sessions, in session and cart order, with their costs: one statement, read into
     * plain values (loading 10,000 entities and their cost collections took as long as serving them). At most
     * {@code maxRows} rows (an item and one of its costs each), else {@link LimitExceededException}.
     */
    public List<CartLine> cartLinesOf(Collection<Long> sessionIds, int maxRows) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery(CART_LINES, Object[].class)
                .setParameter("ids", sessionIds).setMaxResults(maxRows + 1).getResultList();
        if (rows.size() > maxRows) {
            throw new LimitExceededException("The sessions asked for hold more than " + maxRows + " cart lines (items and their "
                    + "costs) left for this request; ask for fewer sessions at a time (customer-sessions.limits.cart-lines)");
        }
        return cartLines(rows);
    }

    private static final String CART_LINES = """
            select i.session_id, i.position, i.sku, i.name, i.category, i.quantity, i.price, i.product_name, i.weight,
                   i.height, i.width, i.length, i.attributes::text, i.returned_quantity, c.name, c.price
            from cart_item i left join cart_item_additional_cost c on c.cart_item_id = i.id
            where i.session_id in (:ids)
            order by i.session_id, i.position, c.name""";

    /** One line per item; the rows of an item with several costs follow each other. */
    private static List<CartLine> cartLines(List<Object[]> rows) {
        List<CartLine> lines = new ArrayList<>(rows.size());
        long sessionId = -1;
        int position = -1;
        List<AdditionalCost> costs = null;
        for (Object[] row : rows) {
            long rowSession = ((Number) row[0]).longValue();
            int rowPosition = ((Number) row[1]).intValue();
            if (rowSession != sessionId || rowPosition != position) {
                sessionId = rowSession;
                position = rowPosition;
                costs = new ArrayList<>(1);
                lines.add(new CartLine(sessionId, position, (String) row[2], (String) row[3], (String) row[4], ((Number) row[5]).intValue(),
                        (BigDecimal) row[6], (String) row[7], (BigDecimal) row[8], (BigDecimal) row[9], (BigDecimal) row[10],
                        (BigDecimal) row[11], (String) row[12], ((Number) row[13]).intValue(), costs));
            }
            if (row[14] != null) {
                costs.add(new AdditionalCost((String) row[14], (BigDecimal) row[15]));
            }
        }
        return lines;
    }
}
