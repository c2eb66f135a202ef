package dev.customersessions.session;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import dev.customersessions.common.LimitExceededException;
import dev.customersessions.common.TransactionLocks;
import io.agroal.api.AgroalDataSource;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Parameters;

/** Persistence of customer sessions and their carts. Every lookup is scoped to one application. */
@ApplicationScoped
public class CustomerSessionRepository implements PanacheRepository<CustomerSession> {

    @Inject
    AgroalDataSource dataSource;

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
        TransactionLocks.lock(getEntityManager(), "profile:" + applicationId + ":" + profileId);
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
     * The session with its session-level costs and its cart (items with their costs): one statement, so one snapshot
     * and no transaction of its own. At most {@code maxRows} cart rows (an item and one of its costs each), else
     * {@link LimitExceededException}.
     */
    public Optional<SessionSnapshot> findWithCart(long applicationId, String integrationId, String tokenHash, int maxRows) {
        return findWithCart(applicationId, integrationId, tokenHash, maxRows, false);
    }

    /**
     * As {@link #findWithCart(long, String, String, int)}; with {@code lock}, the session row is locked until the transaction
     * ends and the cart is read as of the lock: a statement that waited for another writer's lock gets that writer's
     * session row but its cart from before (PostgreSQL rechecks only the locked row), which the version read in the
     * statement's own snapshot reveals; the cart is then read again, under the lock.
     */
    Optional<SessionSnapshot> findWithCart(long applicationId, String integrationId, String tokenHash, int maxRows, boolean lock) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<SessionSnapshot> read = read(lock ? READ_ONE_LOCKED : READ_ONE, statement -> {
                statement.setLong(1, applicationId);
                statement.setString(2, integrationId);
                statement.setString(3, integrationId);
                statement.setString(4, tokenHash);
                statement.setString(5, tokenHash);
                statement.setInt(6, maxRows + 1);
            }, rows -> {
                if (!rows.next()) {
                    return Optional.empty();
                }
                CustomerSession session = session(rows);
                if (lock && rows.getLong(READ_VERSION_COLUMN) != session.version) {
                    return null; // read before the other writer's commit: again
                }
                List<CartLine> cart = new ArrayList<>();
                int count = 0;
                do {
                    if (++count > maxRows) {
                        throw tooManyLines(maxRows);
                    }
                    addLine(cart, session.id, rows, SESSION_COLUMN_COUNT + 1);
                } while (rows.next());
                return Optional.of(new SessionSnapshot(session, cart, null));
            });
            if (read != null) {
                return read;
            }
        }
        throw new IllegalStateException("the cart of a locked session changed while it was read");
    }

    /** The session with its session-level costs, without its cart: one statement. */
    public Optional<CustomerSession> find(long applicationId, String integrationId, String tokenHash) {
        return read("select " + SESSION_COLUMNS + " from customer_session s " + SESSION_COSTS
                + " where s.application_id = ? and md5(s.integration_id) = md5(?) and s.integration_id = ?" + TOKEN_MATCHES, statement -> {
                    statement.setLong(1, applicationId);
                    statement.setString(2, integrationId);
                    statement.setString(3, integrationId);
                    statement.setString(4, tokenHash);
                    statement.setString(5, tokenHash);
                }, rows -> rows.next() ? Optional.of(session(rows)) : Optional.empty());
    }

    /**
     * One page of an application's sessions in id order, after the given id, with {@code limit} rows at most, each with
     * its session-level costs: one statement. (Detached objects, never written.)
     */
    public List<CustomerSession> page(long applicationId, SessionFilter filter, Long afterId, int limit) {
        StringBuilder sql = new StringBuilder("select ").append(SESSION_COLUMNS).append(" from customer_session s ").append(SESSION_COSTS)
                .append(" where s.application_id = ?");
        List<Object> parameters = new ArrayList<>();
        parameters.add(applicationId);
        if (filter.profileId() != null) {
            sql.append(" and md5(s.profile_id) = md5(?) and s.profile_id = ?");
            parameters.add(filter.profileId());
            parameters.add(filter.profileId());
        }
        if (filter.state() != null) {
            sql.append(" and s.state = ?");
            parameters.add(filter.state().name());
        }
        if (filter.createdFrom() != null) {
            sql.append(" and s.created >= ?");
            parameters.add(filter.createdFrom());
        }
        if (filter.createdBefore() != null) {
            sql.append(" and s.created < ?");
            parameters.add(filter.createdBefore());
        }
        if (filter.couponCode() != null) {
            sql.append(" and s.coupon_codes @> array[?]::varchar[]");
            parameters.add(filter.couponCode());
        }
        if (afterId != null) {
            sql.append(" and s.id > ?");
            parameters.add(afterId);
        }
        sql.append(" order by s.id limit ?");
        parameters.add(limit);
        return read(sql.toString(), statement -> {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
        }, rows -> {
            List<CustomerSession> page = new ArrayList<>(limit);
            while (rows.next()) {
                page.add(session(rows));
            }
            return page;
        });
    }

    /**
     * The cart lines of the given sessions, in session and cart order, with their costs: one statement, read into
     * plain values (loading 10,000 entities and their cost collections took as long as serving them). At most
     * {@code maxRows} rows (an item and one of its costs each), else {@link LimitExceededException}.
     */
    public List<CartLine> cartLinesOf(Collection<Long> sessionIds, int maxRows) {
        return read(CART_LINES, statement -> {
            statement.setArray(1, statement.getConnection().createArrayOf("bigint", sessionIds.toArray()));
            statement.setInt(2, maxRows + 1);
        }, rows -> {
            List<CartLine> lines = new ArrayList<>();
            int count = 0;
            while (rows.next()) {
                if (++count > maxRows) {
                    throw tooManyLines(maxRows);
                }
                addLine(lines, rows.getLong(1), rows, 2);
            }
            return lines;
        });
    }

    private static LimitExceededException tooManyLines(int maxRows) {
        return new LimitExceededException("The sessions asked for hold more than " + maxRows + " cart lines (items and their "
                + "costs) left for this request; ask for fewer sessions at a time (customer-sessions.limits.cart-lines)");
    }

    /**
     * The session's token matches the hash given, unless that is null (a secret key's access): a wrong token and an
     * unknown session are then the same empty result of the same statement.
     */
    private static final String TOKEN_MATCHES = " and (?::varchar is null or s.token_hash = ?::varchar)";
    private static final String SESSION_COLUMNS = """
            s.id, s.application_id, s.integration_id, s.profile_id, s.coupon_codes, s.referral_code, s.loyalty_cards, s.state,
            s.identifiers, s.attributes::text, s.first_session, s.created, s.updated, s.version, sc.names, sc.prices, s.cart_set_by""";
    /** The session-level costs, as two arrays in name order: evaluated once per session, whatever else is joined. */
    private static final String SESSION_COSTS = sessionCosts("");
    private static final String LINE_COLUMNS = """
            i.position, i.sku, i.name, i.category, i.quantity, i.price, i.product_name, i.weight, i.height, i.width, i.length,
            i.attributes::text, i.returned_quantity, ic.name, ic.price""";
    private static final String READ_ONE = readOne(false);
    /**
     * READ_ONE locking the session row, with the session's version as the statement's snapshot has it (evaluated once
     * per session in the lateral subquery, which a lock wait does not re-run).
     */
    private static final String READ_ONE_LOCKED = readOne(true);

    private static String sessionCosts(String moreColumns) {
        return "cross join lateral (select array_agg(c.name order by c.name) names, array_agg(c.price order by c.name) prices"
                + moreColumns + " from session_additional_cost c where c.session_id = s.id) sc";
    }

    private static String readOne(boolean locked) {
        return "select " + SESSION_COLUMNS + ", " + LINE_COLUMNS + (locked ? ", sc.read_version" : "") + " from customer_session s "
                + sessionCosts(locked ? ", (select v.version from customer_session v where v.id = s.id) read_version" : "")
                + " left join cart_item i on i.session_id = s.id left join cart_item_additional_cost ic on ic.cart_item_id = i.id"
                + " where s.application_id = ? and md5(s.integration_id) = md5(?) and s.integration_id = ?" + TOKEN_MATCHES
                + " order by i.position, ic.name limit ?" + (locked ? " for update of s" : "");
    }

    private static final int SESSION_COLUMN_COUNT = 17;
    /** After the session and 15 cart line columns. */
    private static final int READ_VERSION_COLUMN = SESSION_COLUMN_COUNT + 16;
    private static final String CART_LINES = "select i.session_id, " + LINE_COLUMNS + """

            from cart_item i left join cart_item_additional_cost ic on ic.cart_item_id = i.id
            where i.session_id = any(?)
            order by i.session_id, i.position, ic.name limit ?""";

    /** A detached session (never written) from the {@link #SESSION_COLUMNS} of the current row. */
    private static CustomerSession session(ResultSet row) throws SQLException {
        CustomerSession s = new CustomerSession();
        s.id = row.getLong(1);
        s.applicationId = row.getLong(2);
        s.integrationId = row.getString(3);
        s.profileId = row.getString(4);
        s.couponCodes = strings(row.getArray(5));
        s.referralCode = row.getString(6);
        s.loyaltyCards = strings(row.getArray(7));
        s.state = SessionState.valueOf(row.getString(8));
        s.identifiers = strings(row.getArray(9));
        s.attributes = row.getString(10);
        s.firstSession = row.getBoolean(11);
        s.created = row.getObject(12, OffsetDateTime.class);
        s.updated = row.getObject(13, OffsetDateTime.class);
        s.version = row.getLong(14);
        Array names = row.getArray(15);
        s.additionalCosts = new ArrayList<>();
        if (names != null) {
            String[] costNames = (String[]) names.getArray();
            BigDecimal[] prices = (BigDecimal[]) row.getArray(16).getArray();
            for (int i = 0; i < costNames.length; i++) {
                s.additionalCosts.add(new AdditionalCost(costNames[i], prices[i]));
            }
        }
        s.cartSetBy = row.getString(17);
        return s;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? new ArrayList<>() : new ArrayList<>(Arrays.asList((String[]) array.getArray()));
    }

    /**
     * Adds the current row's line (the {@link #LINE_COLUMNS} from column {@code at}) to the cart, or only its cost when it
     * is the line before's: the rows of an item with several costs follow each other. A row without an item adds nothing.
     */
    private static void addLine(List<CartLine> cart, long sessionId, ResultSet row, int at) throws SQLException {
        int position = row.getInt(at);
        if (row.wasNull()) {
            return;
        }
        CartLine last = cart.isEmpty() ? null : cart.get(cart.size() - 1);
        CartLine line;
        if (last != null && last.sessionId() == sessionId && last.position() == position) {
            line = last;
        } else {
            line = new CartLine(sessionId, position, row.getString(at + 1), row.getString(at + 2), row.getString(at + 3),
                    row.getInt(at + 4), row.getBigDecimal(at + 5), row.getString(at + 6), row.getBigDecimal(at + 7),
                    row.getBigDecimal(at + 8), row.getBigDecimal(at + 9), row.getBigDecimal(at + 10), row.getString(at + 11),
                    row.getInt(at + 12), new ArrayList<>(1));
            cart.add(line);
        }
        String costName = row.getString(at + 13);
        if (costName != null) {
            line.costs().add(new AdditionalCost(costName, row.getBigDecimal(at + 14)));
        }
    }

    private <T> T read(String sql, Sql.Binder binder, Sql.RowsReader<T> reader) {
        return Sql.query(dataSource, sql, binder, reader);
    }
}
