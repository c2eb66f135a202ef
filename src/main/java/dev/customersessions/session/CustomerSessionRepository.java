package dev.customersessions.session;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;

import dev.customersessions.common.LimitExceededException;
import dev.customersessions.common.Sql;
import dev.customersessions.common.Sql.Binder;
import dev.customersessions.common.Sql.RowsReader;
import dev.customersessions.common.TransactionLocks;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Every SQL statement of the session aggregate (sessions, their costs, cart items and their costs, returns), and the
 * one place that maps its rows, by column name. Plain SQL rather than Hibernate entities because the aggregate is
 * read and written whole in one statement each way (a read is one statement, an update at most two), which no entity
 * mapping does: see docs/benchmark.md. Every lookup is scoped to one application, on every table it touches: a child
 * table is joined on {@code application_id} as well as on its parent's id, and a session is found by
 * {@code application_id} and its id, so that a database sharded by application can run each statement on one node
 * (docs/scaling.md; the retention job's sweep over every application aside).
 *
 * <p>Statements run on the current transaction's connection (the data source hands it out). Reads may run outside a
 * transaction (one statement, one snapshot); locks and writes refuse to, since only a transaction holds them together.
 */
@ApplicationScoped
public class CustomerSessionRepository {

    @Inject
    AgroalDataSource dataSource;

    /**
     * The session with its session-level costs and its cart (items with their costs): one statement, so one snapshot
     * and no transaction of its own. At most {@code maxRows} cart rows (an item and one of its costs each), else
     * {@link LimitExceededException}.
     */
    public Optional<SessionSnapshot> findWithCart(long applicationId, String integrationId, String tokenHash, int maxRows) {
        return query(READ_ONE, bindReadOne(applicationId, integrationId, tokenHash, maxRows), rows -> {
            if (!rows.next()) {
                return Optional.empty();
            }
            CustomerSession session = session(rows);
            return Optional.of(new SessionSnapshot(session, cart(session.id, rows, maxRows), null));
        });
    }

    /**
     * The session with its cart, locked against concurrent writers until the transaction ends: one statement. A
     * statement that waited for another writer's lock gets that writer's session row but its cart from before
     * (PostgreSQL rechecks only the locked row), which the version read in the statement's own snapshot reveals; the
     * cart is then read again, under the lock.
     */
    Optional<SessionSnapshot> lockWithCart(long applicationId, String integrationId, String tokenHash) {
        int maxRows = Integer.MAX_VALUE - 1;
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<SessionSnapshot> read = inTransaction(READ_ONE_LOCKED, bindReadOne(applicationId, integrationId, tokenHash, maxRows), rows -> {
                if (!rows.next()) {
                    return Optional.empty();
                }
                CustomerSession session = session(rows);
                if (rows.getLong("read_version") != session.version) {
                    return null; // read before the other writer's commit: again
                }
                return Optional.of(new SessionSnapshot(session, cart(session.id, rows, maxRows), null));
            });
            if (read != null) {
                return read;
            }
        }
        throw new IllegalStateException("the cart of a locked session changed while it was read");
    }

    /** The session with its session-level costs, without its cart: one statement. */
    public Optional<CustomerSession> find(long applicationId, String integrationId, String tokenHash) {
        return query("select " + SESSION_COLUMNS + " from customer_session s " + SESSION_COSTS + " where " + BY_INTEGRATION_ID + TOKEN_MATCHES,
                byIntegrationIdAnd(applicationId, integrationId, tokenHash), rows -> rows.next() ? Optional.of(session(rows)) : Optional.empty());
    }

    /**
     * One page of an application's sessions in id order, after the given id, with {@code limit} rows at most, each with
     * its session-level costs: one statement.
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
        return query(sql.toString(), statement -> {
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
     * The application's sessions with the given ids that still exist, each with its session-level costs and its token hash (for
     * those who must present it), in id order: one statement.
     */
    public List<CustomerSession> byIds(long applicationId, Collection<Long> sessionIds) {
        return query("select " + SESSION_COLUMNS + ", s.token_hash from customer_session s " + SESSION_COSTS
                + " where s.application_id = ? and s.id = any(?) order by s.id", statement -> {
                    statement.setLong(1, applicationId);
                    statement.setArray(2, statement.getConnection().createArrayOf("bigint", sessionIds.toArray()));
                }, rows -> {
                    List<CustomerSession> found = new ArrayList<>(sessionIds.size());
                    while (rows.next()) {
                        CustomerSession session = session(rows);
                        session.tokenHash = rows.getString("token_hash");
                        found.add(session);
                    }
                    return found;
                });
    }

    /**
     * The cart lines of the given sessions of the application, in session and cart order, with their costs: one
     * statement, read into plain values. At most {@code maxRows} rows (an item and one of its costs each), else
     * {@link LimitExceededException}.
     */
    public List<CartLine> cartLinesOf(long applicationId, Collection<Long> sessionIds, int maxRows) {
        return query(CART_LINES, statement -> {
            statement.setLong(1, applicationId);
            statement.setArray(2, statement.getConnection().createArrayOf("bigint", sessionIds.toArray()));
            statement.setInt(3, maxRows + 1);
        }, rows -> {
            LineColumns columns = new LineColumns(rows);
            int sessionId = rows.findColumn("line_session_id");
            List<CartLine> lines = new ArrayList<>();
            int count = 0;
            while (rows.next()) {
                if (++count > maxRows) {
                    throw tooManyLines(maxRows);
                }
                columns.addLine(lines, rows.getLong(sessionId), rows);
            }
            return lines;
        });
    }

    /**
     * The returns of the given sessions of the application, in session and return order, with their lines in position
     * order: one statement.
     */
    public List<CartItemReturn> returnsOf(long applicationId, Collection<Long> sessionIds) {
        return query("""
                select r.id, r.session_id, r.created, array_agg(l.position order by l.position) line_positions,
                       array_agg(l.quantity order by l.position) line_quantities
                from cart_item_return r join cart_item_return_line l on l.application_id = r.application_id and l.return_id = r.id
                where r.application_id = ? and r.session_id = any(?) group by r.application_id, r.id order by r.session_id, r.id""",
                statement -> {
                    statement.setLong(1, applicationId);
                    statement.setArray(2, statement.getConnection().createArrayOf("bigint", sessionIds.toArray()));
                }, rows -> {
                    List<CartItemReturn> returns = new ArrayList<>();
                    while (rows.next()) {
                        Integer[] positions = (Integer[]) rows.getArray("line_positions").getArray();
                        Integer[] quantities = (Integer[]) rows.getArray("line_quantities").getArray();
                        List<CartItemReturn.Line> lines = new ArrayList<>(positions.length);
                        for (int i = 0; i < positions.length; i++) {
                            lines.add(new CartItemReturn.Line(positions[i], quantities[i]));
                        }
                        returns.add(new CartItemReturn(rows.getLong("id"), rows.getLong("session_id"),
                                rows.getObject("created", OffsetDateTime.class), lines));
                    }
                    return returns;
                });
    }

    /**
     * Whether a new session of the profile is its first: none of the application's sessions has the profile. Holds a
     * lock on the profile until the transaction ends, so that only one of two concurrent first sessions counts as the
     * first: two statements.
     */
    boolean isFirstSession(long applicationId, String profileId) {
        lockProfile(applicationId, profileId);
        return inTransaction("select not exists (select 1 from customer_session s where s.application_id = ? "
                + "and md5(s.profile_id) = md5(?) and s.profile_id = ?) as is_first", statement -> {
                    statement.setLong(1, applicationId);
                    statement.setString(2, profileId);
                    statement.setString(3, profileId);
                }, rows -> rows.next() && rows.getBoolean("is_first"));
    }

    /**
     * Waits for, then holds until the transaction ends, the lock on the profile in the application: the writes that
     * must see every session of a profile (a first session, a merge at login) take it, so that they queue. One statement.
     */
    void lockProfile(long applicationId, String profileId) {
        inTransaction(connection -> TransactionLocks.lock(connection, "profile:" + applicationId + ":" + profileId));
    }

    /** A session's ids, as {@link #mergeCandidates} finds it. */
    record SessionIds(long id, String integrationId) {
    }

    /**
     * The sessions a merge at login involves, in id order (the order they are locked in): the session with the
     * integrationId, whatever its state and profile, and the profile's {@code maxOpen} most recently updated open
     * sessions (a merge's work and answer stay bounded; older ones stay open for a later merge). Not locked; one
     * statement.
     */
    List<SessionIds> mergeCandidates(long applicationId, String integrationId, String profileId, int maxOpen) {
        return inTransaction("select c.id, c.integration_id from (select s.id, s.integration_id from customer_session s "
                + "where s.application_id = ? and md5(s.integration_id) = md5(?) and s.integration_id = ? union "
                + "(select s.id, s.integration_id from customer_session s where s.application_id = ? and s.state = 'open' "
                + "and md5(s.profile_id) = md5(?) and s.profile_id = ? order by s.updated desc, s.id desc limit ?)) c order by c.id",
                statement -> {
                    statement.setLong(1, applicationId);
                    statement.setString(2, integrationId);
                    statement.setString(3, integrationId);
                    statement.setLong(4, applicationId);
                    statement.setString(5, profileId);
                    statement.setString(6, profileId);
                    statement.setInt(7, maxOpen);
                }, rows -> {
                    List<SessionIds> found = new ArrayList<>();
                    while (rows.next()) {
                        found.add(new SessionIds(rows.getLong("id"), rows.getString("integration_id")));
                    }
                    return found;
                });
    }

    /**
     * Ends the sessions in the state merged, bound to the profile and pointing to the session they were merged into,
     * their versions raised; their content stays as it is. One statement.
     */
    void markMerged(long applicationId, Collection<Long> sessionIds, String profileId, long mergedInto, OffsetDateTime updated) {
        inTransaction("with s as (update customer_session set state = ?, profile_id = ?, merged_into = ?, updated = ?, version = version + 1 "
                + "where application_id = ? and id = any(?) returning " + EVENT_COLUMNS + "), " + event("s", SessionEventKind.MERGED)
                + " select count(*) updated from s",
                statement -> {
                    statement.setString(1, SessionState.merged.name());
                    statement.setString(2, profileId);
                    statement.setLong(3, mergedInto);
                    statement.setObject(4, updated);
                    statement.setLong(5, applicationId);
                    statement.setArray(6, statement.getConnection().createArrayOf("bigint", sessionIds.toArray()));
                }, rows -> {
                    if (!rows.next() || rows.getLong("updated") != sessionIds.size()) {
                        throw new IllegalStateException("sessions " + sessionIds + " were not all marked merged");
                    }
                    return null;
                });
    }

    /**
     * Stores a new session with its cart, unless a concurrent writer has just stored one under the same integration id
     * (then empty, and nothing is written): one statement. The database gives the session its id.
     */
    Optional<Long> insert(CustomerSession session, SessionContent content) {
        return inTransaction(INSERT, statement -> {
            Connection connection = statement.getConnection();
            int at = 1;
            statement.setLong(at++, session.applicationId);
            statement.setString(at++, session.integrationId);
            at = bindContentColumns(connection, statement, at, content, session.state);
            statement.setBoolean(at++, session.firstSession);
            statement.setObject(at++, session.created);
            statement.setObject(at++, session.updated);
            statement.setString(at++, session.tokenHash);
            statement.setString(at++, session.cartSetBy);
            statement.setInt(at++, session.nextLineId);
            at = bindItems(connection, statement, at, content.cartItems(), content.lineIds(), allPositions(content.cartItems().size()));
            bindCosts(connection, statement, at, content.additionalCosts());
        }, rows -> rows.next() ? Optional.of(rows.getLong("id")) : Optional.empty());
    }

    /**
     * Writes the changes from {@code before} to {@code after} (every line with its id) and the state, raising the
     * version: one statement. Only what differs is written, so that a cart that grows by one line writes one cart item
     * row: a line is rewritten when its data or its id at its position differ.
     */
    void update(long applicationId, long sessionId, SessionContent before, SessionContent after, SessionState state, OffsetDateTime updated,
            String cartSetBy, int nextLineId, SessionEventKind kind) {
        List<Integer> gone = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<CartItemData> written = new ArrayList<>();
        List<Integer> writtenIds = new ArrayList<>();
        for (int position = 0; position < Math.max(before.cartItems().size(), after.cartItems().size()); position++) {
            boolean stored = position < before.cartItems().size();
            boolean sent = position < after.cartItems().size();
            if (stored && sent && before.lineIds().get(position).equals(after.lineIds().get(position))
                    && before.cartItems().get(position).equals(after.cartItems().get(position))) {
                continue;
            }
            if (stored) {
                gone.add(position);
            }
            if (sent) {
                positions.add(position);
                written.add(after.cartItems().get(position));
                writtenIds.add(after.lineIds().get(position));
            }
        }
        boolean costsChanged = !before.additionalCosts().equals(after.additionalCosts());
        StringBuilder sql = new StringBuilder("with ");
        if (!gone.isEmpty() || !written.isEmpty()) {
            sql.append("gone as (delete from cart_item where application_id = ? and session_id = ? and position = any(?) returning 1), ")
                    .append(CHANGED_ITEMS).append(", ");
        }
        if (costsChanged) {
            sql.append("costs_gone as (delete from session_additional_cost where application_id = ? and session_id = ? returning 1), ")
                    .append("costs as (insert into session_additional_cost (application_id, session_id, name, price) select ?, ?, c.name, c.price ")
                    .append("from unnest(?::varchar[], ?::numeric[]) as c(name, price) where (select count(*) from costs_gone) >= 0), ");
        }
        sql.append("s as (update customer_session set profile_id = ?, coupon_codes = ?, referral_code = ?, loyalty_cards = ?, state = ?, ")
                .append("identifiers = ?, attributes = ?::jsonb, updated = ?, cart_set_by = coalesce(?, cart_set_by), next_line_id = ?, ")
                .append("version = version + 1 ")
                .append("where application_id = ? and id = ? returning ").append(EVENT_COLUMNS).append("), ").append(event("s", kind))
                .append(" select count(*) updated from s");
        inTransaction(sql.toString(), statement -> {
            Connection connection = statement.getConnection();
            int at = 1;
            if (!gone.isEmpty() || !written.isEmpty()) {
                at = bindSession(statement, at, applicationId, sessionId);
                statement.setArray(at++, connection.createArrayOf("int4", gone.toArray()));
                at = bindSession(statement, at, applicationId, sessionId);
                at = bindItems(connection, statement, at, written, writtenIds, positions);
            }
            if (costsChanged) {
                at = bindSession(statement, at, applicationId, sessionId);
                at = bindSession(statement, at, applicationId, sessionId);
                at = bindCosts(connection, statement, at, after.additionalCosts());
            }
            at = bindContentColumns(connection, statement, at, after, state);
            statement.setObject(at++, updated);
            statement.setString(at++, cartSetBy);
            statement.setInt(at++, nextLineId);
            bindSession(statement, at, applicationId, sessionId);
        }, rows -> expectOne(rows, sessionId));
    }

    /**
     * Records a return of the session's cart items: the return with its lines, the items' returned quantities raised,
     * the session moved to {@code state} with its version raised. One statement; the return's id.
     */
    long insertReturn(long applicationId, long sessionId, OffsetDateTime created, List<CartItemReturn.Line> lines, SessionState state) {
        return inTransaction("""
                with r as (insert into cart_item_return (application_id, session_id, created) values (?, ?, ?) returning application_id, id),
                     l as (select * from unnest(?::int4[], ?::int4[]) as l(position, quantity)),
                     lines as (insert into cart_item_return_line (application_id, return_id, position, quantity)
                               select r.application_id, r.id, l.position, l.quantity from r, l),
                     items as (update cart_item i set returned_quantity = i.returned_quantity + l.quantity from l
                               where i.application_id = ? and i.session_id = ? and i.position = l.position),
                     s as (update customer_session set state = ?, updated = ?, version = version + 1 where application_id = ? and id = ?
                           returning %s),
                     %s
                select id from r""".formatted(EVENT_COLUMNS, event("s", SessionEventKind.RETURNED)), statement -> {
            Connection connection = statement.getConnection();
            int at = bindSession(statement, 1, applicationId, sessionId);
            statement.setObject(at++, created);
            statement.setArray(at++, connection.createArrayOf("int4", lines.stream().map(CartItemReturn.Line::position).toArray()));
            statement.setArray(at++, connection.createArrayOf("int4", lines.stream().map(CartItemReturn.Line::quantity).toArray()));
            at = bindSession(statement, at, applicationId, sessionId);
            statement.setString(at++, state.name());
            statement.setObject(at++, created);
            bindSession(statement, at, applicationId, sessionId);
        }, rows -> {
            rows.next();
            return rows.getLong("id");
        });
    }

    /** Gives the session the token hash (null: none): one statement. False when there is no such session. */
    boolean replaceToken(long applicationId, String integrationId, String tokenHash) {
        return inTransaction("with s as (update customer_session s set token_hash = ? where " + BY_INTEGRATION_ID
                + " returning 1) select count(*) updated from s", statement -> {
                    statement.setString(1, tokenHash);
                    statement.setLong(2, applicationId);
                    statement.setString(3, integrationId);
                    statement.setString(4, integrationId);
                }, rows -> rows.next() && rows.getLong("updated") == 1);
    }

    private static Void expectOne(ResultSet rows, long sessionId) throws SQLException {
        if (!rows.next() || rows.getLong("updated") != 1) {
            throw new IllegalStateException("session " + sessionId + " was not updated");
        }
        return null;
    }

    private static LimitExceededException tooManyLines(int maxRows) {
        return new LimitExceededException("The sessions asked for hold more than " + maxRows + " cart lines (items and their "
                + "costs) left for this request; ask for fewer sessions at a time (customer-sessions.limits.cart-lines)");
    }

    // ---- Statements -------------------------------------------------------------------------------------------------

    /**
     * Ids and profiles are indexed by the MD5 of their text (they may be longer than a btree entry can hold, see
     * migration V2): a lookup compares the hashes, so that the index serves it, and then the text itself. Parameters:
     * application id, integration id twice.
     */
    private static final String BY_INTEGRATION_ID = "s.application_id = ? and md5(s.integration_id) = md5(?) and s.integration_id = ?";
    /**
     * The session's token matches the hash given, unless that is null (a secret key's access): a wrong token and an
     * unknown session are then the same empty result of the same statement.
     */
    private static final String TOKEN_MATCHES = " and (?::varchar is null or s.token_hash = ?::varchar)";
    /** Read by {@link #session}. */
    private static final String SESSION_COLUMNS = """
            s.id, s.application_id, s.integration_id, s.profile_id, s.coupon_codes, s.referral_code, s.loyalty_cards, s.state,
            s.identifiers, s.attributes::text attributes, s.first_session, s.created, s.updated, s.version, s.cart_set_by, s.next_line_id,
            sc.cost_names, sc.cost_prices, sc.merged_into""";
    /**
     * The session-level costs, as two arrays in name order, and the integrationId of the session it was merged into:
     * evaluated once per session, whatever else is joined (in the select list, a subquery would run once per cart row).
     */
    private static final String SESSION_COSTS = sessionCosts("");
    /** The costs ({@code ic}) of the cart item {@code i}. */
    private static final String ITEM_COSTS_OF_I = "ic.application_id = i.application_id and ic.cart_item_id = i.id";
    /** Read by {@link LineColumns}. */
    private static final String LINE_COLUMNS = """
            i.position line_position, i.line_id line_line_id, i.sku line_sku, i.name line_name, i.category line_category, i.quantity line_quantity,
            i.price line_price, i.product_name line_product_name, i.weight line_weight, i.height line_height, i.width line_width,
            i.length line_length, i.attributes::text line_attributes, i.returned_quantity line_returned_quantity,
            ic.name line_cost_name, ic.price line_cost_price""";
    private static final String READ_ONE = readOne(false);
    /**
     * READ_ONE locking the session row, with the session's version as the statement's snapshot has it (evaluated once
     * per session in the lateral subquery, which a lock wait does not re-run).
     */
    private static final String READ_ONE_LOCKED = readOne(true);
    private static final String CART_LINES = "select i.session_id line_session_id, " + LINE_COLUMNS + """

            from cart_item i left join cart_item_additional_cost ic on %s
            where i.application_id = ? and i.session_id = any(?)
            order by i.session_id, i.position, ic.name limit ?""".formatted(ITEM_COSTS_OF_I);

    private static String sessionCosts(String moreColumns) {
        return "cross join lateral (select array_agg(c.name order by c.name) cost_names, array_agg(c.price order by c.name) cost_prices, "
                + "(select m.integration_id from customer_session m where m.application_id = s.application_id and m.id = s.merged_into) merged_into"
                + moreColumns + " from session_additional_cost c where c.application_id = s.application_id and c.session_id = s.id) sc";
    }

    private static String readOne(boolean locked) {
        return "select " + SESSION_COLUMNS + ", " + LINE_COLUMNS + (locked ? ", sc.read_version" : "") + " from customer_session s "
                + sessionCosts(locked ? ", (select v.version from customer_session v where v.application_id = s.application_id and v.id = s.id) "
                        + "read_version" : "")
                + " left join cart_item i on i.application_id = s.application_id and i.session_id = s.id"
                + " left join cart_item_additional_cost ic on " + ITEM_COSTS_OF_I
                + " where " + BY_INTEGRATION_ID + TOKEN_MATCHES + " order by i.position, ic.name limit ?" + (locked ? " for update of s" : "");
    }

    /**
     * The parameters of a statement that names a session as {@link #BY_INTEGRATION_ID} does and then compares one more
     * value twice (a token hash, a profile id).
     */
    private static Binder byIntegrationIdAnd(long applicationId, String integrationId, String twice) {
        return statement -> {
            statement.setLong(1, applicationId);
            statement.setString(2, integrationId);
            statement.setString(3, integrationId);
            statement.setString(4, twice);
            statement.setString(5, twice);
        };
    }

    /** Parameters of {@link #READ_ONE} and {@link #READ_ONE_LOCKED}. */
    private static Binder bindReadOne(long applicationId, String integrationId, String tokenHash, int maxRows) {
        Binder session = byIntegrationIdAnd(applicationId, integrationId, tokenHash);
        return statement -> {
            session.bind(statement);
            statement.setInt(6, maxRows + 1);
        };
    }

    /**
     * The cart items and their costs, inserted for the session expression {@code %1$s} (application id and session id:
     * two parameters, or two columns of {@code %2$s}) when {@code %3$s} holds; the database gives them their ids.
     * Parameters as {@link #bindItems}.
     */
    private static final String ITEMS = """
            items as (insert into cart_item (application_id, session_id, position, line_id, sku, name, category, quantity, price,
                      product_name, weight, height, width, length, attributes, returned_quantity)
                select %1$s, u.position, u.line_id, u.sku, u.name, u.category, u.quantity, u.price, u.product_name,
                       u.weight, u.height, u.width, u.length, u.attributes::jsonb, 0
                %2$s unnest(?::int4[], ?::int4[], ?::varchar[], ?::varchar[], ?::varchar[], ?::int4[], ?::numeric[], ?::varchar[],
                       ?::numeric[], ?::numeric[], ?::numeric[], ?::numeric[], ?::text[])
                    as u(position, line_id, sku, name, category, quantity, price, product_name, weight, height, width, length, attributes)
                where %3$s
                returning application_id, id, position),
            item_costs as (insert into cart_item_additional_cost (application_id, cart_item_id, name, price)
                select items.application_id, items.id, c.name, c.price from unnest(?::int4[], ?::varchar[], ?::numeric[]) as c(position, name, price)
                join items on items.position = c.position)""".replace("\n", " ");

    /**
     * The columns a write returns from its changed sessions for their outbox rows ({@link #event}): the session as
     * written, its version the new one.
     */
    private static final String EVENT_COLUMNS = "id, application_id, integration_id, version, updated";

    /** The same for deleted sessions ({@code d}): their deletion is their next version; a parameter, when. */
    private static final String DELETED_EVENT_COLUMNS = "d.id, d.application_id, d.integration_id, d.version + 1 as version, "
            + "?::timestamptz as updated";

    /**
     * A part of a write's statement that stores, in its transaction, one outbox row of the kind for every session the
     * part {@code changed} returns ({@link #EVENT_COLUMNS}): docs/events.md.
     */
    private static String event(String changed, SessionEventKind kind) {
        return changed + "_event as (" + eventRows(changed, kind) + ")";
    }

    private static String eventRows(String changed, SessionEventKind kind) {
        return "insert into session_event (application_id, session_id, integration_id, version, kind, occurred) select "
                + changed + ".application_id, " + changed + ".id, " + changed + ".integration_id, " + changed + ".version, '"
                + kind.name() + "', " + changed + ".updated from " + changed;
    }

    /** A new session with its cart and costs, unless its integration id is taken (then no row). */
    private static final String INSERT = "with s as (insert into customer_session (application_id, integration_id, profile_id, "
            + "coupon_codes, referral_code, loyalty_cards, state, identifiers, attributes, first_session, created, updated, version, "
            + "token_hash, cart_set_by, next_line_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, 1, ?, ?, ?) "
            + "on conflict (application_id, md5(integration_id)) do nothing returning " + EVENT_COLUMNS + "), "
            + event("s", SessionEventKind.CREATED) + ", "
            + ITEMS.formatted("s.application_id, s.id", "from s,", "true") + ", "
            + "costs as (insert into session_additional_cost (application_id, session_id, name, price) "
            + "select s.application_id, s.id, c.name, c.price from s, unnest(?::varchar[], ?::numeric[]) as c(name, price)) "
            + "select id from s";

    /** The changed cart lines of a session, inserted after its changed and removed ones are deleted ({@code gone}). */
    private static final String CHANGED_ITEMS = ITEMS.formatted("?, ?", "from", "(select count(*) from gone) >= 0");

    // ---- Retention and erasure (docs/retention.md) -------------------------------------------------------------------

    /**
     * Deletes at most {@code limit} sessions past their application's retention: open ones ({@code open}) or finished
     * ones (every other state, the coming ones included), whose last change is older than the application's days
     * before {@code now}. One statement in the current transaction. Rows locked by a writer (or by another instance's
     * job) are skipped, not waited for: a later run deletes them. Their cart items, costs and returns go with them
     * (foreign keys, {@code on delete cascade}); so do the answers kept under Idempotency-Keys for them, deleted here
     * (that table has no foreign key to sessions: migration V11).
     *
     * @return how many were deleted
     */
    int deleteExpired(boolean open, OffsetDateTime now, int limit) {
        String days = open ? "a.open_session_retention_days" : "a.finished_session_retention_days";
        return inTransaction("with expired as (select s.application_id, s.id from application a join customer_session s on s.application_id = a.id "
                + "where " + days + " is not null and s.updated < ?::timestamptz - make_interval(days => " + days + ") and s.state "
                + (open ? "=" : "<>") + " 'open' limit ? for update of s skip locked), "
                + "gone as (delete from customer_session d using expired e where d.application_id = e.application_id and d.id = e.id "
                + "returning " + DELETED_EVENT_COLUMNS + "), "
                + event("gone", SessionEventKind.DELETED) + ", " + ANSWERS_OF.formatted("gone")
                + " select count(*) deleted from gone",
                statement -> {
                    statement.setObject(1, now);
                    statement.setInt(2, limit);
                    statement.setObject(3, now);
                }, rows -> rows.next() ? rows.getInt("deleted") : 0);
    }

    /**
     * A part of a statement that deletes the answers kept under Idempotency-Keys for the sessions the part {@code %s}
     * returns (by their ids, unique across applications): what a foreign key's {@code on delete cascade} did before
     * migration V11. Its name is that part's, with {@code _answers}.
     */
    private static final String ANSWERS_OF = "%1$s_answers as (delete from idempotency_key k using %1$s where k.session_id = %1$s.id returning 1)";

    /** What one batch of an erasure found and did. */
    record ErasedBatch(int found, int deleted, int stripped, int answersDeleted) {
    }

    /**
     * Erases the personal data of at most {@code limit} sessions of the profile, in id order: an open session is deleted
     * (an unfinished cart has no accounting value), a finished one is stripped of the profile id, identifiers, loyalty
     * cards, referral code, session and cart item attributes and its token, and marked {@code erased}; the answers kept
     * under Idempotency-Keys for either are deleted. One statement in the current transaction; it waits for a writer
     * holding one of the sessions (up to the lock timeout), so that no session of the profile is passed over. A stripped
     * session has no profile id, so a batch never finds it again.
     */
    ErasedBatch eraseProfile(long applicationId, String profileId, OffsetDateTime now, int limit) {
        return inTransaction("""
                with target as (select s.application_id, s.id, s.state = 'open' open from customer_session s
                                where s.application_id = ? and md5(s.profile_id) = md5(?) and s.profile_id = ?
                                order by s.id limit ? for update),
                     %s,
                     deleted as (delete from customer_session d using target t where d.application_id = t.application_id and d.id = t.id
                                 and t.open returning %s),
                     deleted_events as (%s),
                     stripped as (update customer_session u set profile_id = null, identifiers = '{}', loyalty_cards = '{}',
                                         referral_code = null, attributes = '{}', token_hash = null, erased = ?, version = u.version + 1
                                  from target t where u.application_id = t.application_id and u.id = t.id and not t.open
                                  returning u.id, u.application_id, u.integration_id, u.version, ?::timestamptz as updated),
                     stripped_events as (%s),
                     items as (update cart_item i set attributes = '{}' from stripped where i.application_id = stripped.application_id
                               and i.session_id = stripped.id and i.attributes <> '{}' returning 1)
                select (select count(*) from target) found, (select count(*) from deleted) deleted,
                       (select count(*) from stripped) stripped, (select count(*) from target_answers) answers,
                       (select count(*) from items) items""".formatted(ANSWERS_OF.formatted("target"), DELETED_EVENT_COLUMNS,
                eventRows("deleted", SessionEventKind.DELETED), eventRows("stripped", SessionEventKind.ERASED)), statement -> {
                    statement.setLong(1, applicationId);
                    statement.setString(2, profileId);
                    statement.setString(3, profileId);
                    statement.setInt(4, limit);
                    statement.setObject(5, now);
                    statement.setObject(6, now);
                    statement.setObject(7, now);
                }, rows -> {
                    rows.next();
                    return new ErasedBatch(rows.getInt("found"), rows.getInt("deleted"), rows.getInt("stripped"), rows.getInt("answers"));
                });
    }

    // ---- Rows to the model, by column name --------------------------------------------------------------------------

    /** A session from the {@link #SESSION_COLUMNS} of the current row. */
    private static CustomerSession session(ResultSet row) throws SQLException {
        CustomerSession s = new CustomerSession();
        s.id = row.getLong("id");
        s.applicationId = row.getLong("application_id");
        s.integrationId = row.getString("integration_id");
        s.profileId = row.getString("profile_id");
        s.couponCodes = strings(row.getArray("coupon_codes"));
        s.referralCode = row.getString("referral_code");
        s.loyaltyCards = strings(row.getArray("loyalty_cards"));
        s.state = SessionState.valueOf(row.getString("state"));
        s.identifiers = strings(row.getArray("identifiers"));
        s.attributes = row.getString("attributes");
        s.firstSession = row.getBoolean("first_session");
        s.created = row.getObject("created", OffsetDateTime.class);
        s.updated = row.getObject("updated", OffsetDateTime.class);
        s.version = row.getLong("version");
        s.cartSetBy = row.getString("cart_set_by");
        s.nextLineId = row.getInt("next_line_id");
        s.mergedInto = row.getString("merged_into");
        Array names = row.getArray("cost_names");
        s.additionalCosts = new ArrayList<>();
        if (names != null) {
            String[] costNames = (String[]) names.getArray();
            BigDecimal[] prices = (BigDecimal[]) row.getArray("cost_prices").getArray();
            for (int i = 0; i < costNames.length; i++) {
                s.additionalCosts.add(new AdditionalCostData(costNames[i], prices[i]));
            }
        }
        return s;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? new ArrayList<>() : new ArrayList<>(Arrays.asList((String[]) array.getArray()));
    }

    /** The cart of the session on the current row and the rows after it: at most {@code maxRows}. */
    private static List<CartLine> cart(long sessionId, ResultSet rows, int maxRows) throws SQLException {
        LineColumns columns = new LineColumns(rows);
        List<CartLine> cart = new ArrayList<>();
        int count = 0;
        do {
            if (++count > maxRows) {
                throw tooManyLines(maxRows);
            }
            columns.addLine(cart, sessionId, rows);
        } while (rows.next());
        return cart;
    }

    /** The {@link #LINE_COLUMNS} of a result set, found by name once per statement (a cart may have 10,000 rows). */
    private static final class LineColumns {
        final int position;
        final int lineId;
        final int sku;
        final int name;
        final int category;
        final int quantity;
        final int price;
        final int productName;
        final int weight;
        final int height;
        final int width;
        final int length;
        final int attributes;
        final int returnedQuantity;
        final int costName;
        final int costPrice;

        LineColumns(ResultSet rows) throws SQLException {
            position = rows.findColumn("line_position");
            lineId = rows.findColumn("line_line_id");
            sku = rows.findColumn("line_sku");
            name = rows.findColumn("line_name");
            category = rows.findColumn("line_category");
            quantity = rows.findColumn("line_quantity");
            price = rows.findColumn("line_price");
            productName = rows.findColumn("line_product_name");
            weight = rows.findColumn("line_weight");
            height = rows.findColumn("line_height");
            width = rows.findColumn("line_width");
            length = rows.findColumn("line_length");
            attributes = rows.findColumn("line_attributes");
            returnedQuantity = rows.findColumn("line_returned_quantity");
            costName = rows.findColumn("line_cost_name");
            costPrice = rows.findColumn("line_cost_price");
        }

        /**
         * Adds the current row's line to the cart, or only its cost when it is the line before's: the rows of an item
         * with several costs follow each other. A row without an item (a session with an empty cart) adds nothing.
         */
        void addLine(List<CartLine> cart, long sessionId, ResultSet row) throws SQLException {
            int at = row.getInt(position);
            if (row.wasNull()) {
                return;
            }
            CartLine last = cart.isEmpty() ? null : cart.get(cart.size() - 1);
            CartLine line;
            if (last != null && last.sessionId() == sessionId && last.position() == at) {
                line = last;
            } else {
                line = new CartLine(sessionId, at, row.getInt(lineId), row.getString(sku), row.getString(name), row.getString(category),
                        row.getInt(quantity), row.getBigDecimal(price), row.getString(productName), row.getBigDecimal(weight),
                        row.getBigDecimal(height), row.getBigDecimal(width), row.getBigDecimal(length), row.getString(attributes),
                        row.getInt(returnedQuantity), new ArrayList<>(1));
                cart.add(line);
            }
            String cost = row.getString(costName);
            if (cost != null) {
                line.costs().add(new AdditionalCostData(cost, row.getBigDecimal(costPrice)));
            }
        }
    }

    // ---- Parameters -------------------------------------------------------------------------------------------------

    /** Positions 0 to size - 1: a new cart's. */
    private static List<Integer> allPositions(int size) {
        List<Integer> positions = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            positions.add(i);
        }
        return positions;
    }

    /**
     * Binds the items with their line ids at the given positions: 13 arrays of item columns, then 3 of their costs
     * (position, name, price).
     */
    private static int bindItems(Connection connection, PreparedStatement statement, int at, List<CartItemData> items, List<Integer> lineIds,
            List<Integer> positions) throws SQLException {
        int n = items.size();
        Object[][] columns = new Object[13][n];
        List<Object> costPositions = new ArrayList<>();
        List<Object> costNames = new ArrayList<>();
        List<Object> costPrices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CartItemData item = items.get(i);
            columns[0][i] = positions.get(i);
            columns[1][i] = lineIds.get(i);
            columns[2][i] = item.sku();
            columns[3][i] = item.name();
            columns[4][i] = item.category();
            columns[5][i] = item.quantity();
            columns[6][i] = item.price();
            columns[7][i] = item.productName();
            columns[8][i] = item.weight();
            columns[9][i] = item.height();
            columns[10][i] = item.width();
            columns[11][i] = item.length();
            columns[12][i] = item.attributes().toString();
            for (AdditionalCostData cost : item.additionalCosts()) {
                costPositions.add(positions.get(i));
                costNames.add(cost.name());
                costPrices.add(cost.price());
            }
        }
        String[] types = {"int4", "int4", "varchar", "varchar", "varchar", "int4", "numeric", "varchar", "numeric", "numeric", "numeric", "numeric", "text"};
        for (int c = 0; c < columns.length; c++) {
            statement.setArray(at++, connection.createArrayOf(types[c], columns[c]));
        }
        statement.setArray(at++, connection.createArrayOf("int4", costPositions.toArray()));
        statement.setArray(at++, connection.createArrayOf("varchar", costNames.toArray()));
        statement.setArray(at++, connection.createArrayOf("numeric", costPrices.toArray()));
        return at;
    }

    private static int bindCosts(Connection connection, PreparedStatement statement, int at, List<AdditionalCostData> costs) throws SQLException {
        statement.setArray(at++, connection.createArrayOf("varchar", costs.stream().map(AdditionalCostData::name).toArray()));
        statement.setArray(at++, connection.createArrayOf("numeric", costs.stream().map(AdditionalCostData::price).toArray(BigDecimal[]::new)));
        return at;
    }

    /** profile_id, coupon_codes, referral_code, loyalty_cards, state, identifiers, attributes: in this order. */
    private static int bindContentColumns(Connection connection, PreparedStatement statement, int at, SessionContent content, SessionState state)
            throws SQLException {
        setNullable(statement, at++, content.profileId());
        statement.setArray(at++, connection.createArrayOf("varchar", content.couponCodes().toArray()));
        setNullable(statement, at++, content.referralCode());
        statement.setArray(at++, connection.createArrayOf("varchar", content.loyaltyCards().toArray()));
        statement.setString(at++, state.name());
        statement.setArray(at++, connection.createArrayOf("varchar", content.identifiers().toArray()));
        statement.setString(at++, content.attributes().toString());
        return at;
    }

    /** A session's key: its application id, then its id. */
    private static int bindSession(PreparedStatement statement, int at, long applicationId, long sessionId) throws SQLException {
        statement.setLong(at++, applicationId);
        statement.setLong(at++, sessionId);
        return at;
    }

    private static void setNullable(PreparedStatement statement, int at, String value) throws SQLException {
        if (value == null) {
            statement.setNull(at, Types.VARCHAR);
        } else {
            statement.setString(at, value);
        }
    }

    // ---- Running statements -----------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface ConnectionWork {
        void run(Connection connection) throws SQLException;
    }

    /** One statement: on the current transaction's connection when there is one, else outside any transaction. */
    private <T> T query(String sql, Binder binder, RowsReader<T> reader) {
        return Sql.query(dataSource, sql, binder, reader);
    }

    /** One statement that locks or writes, in the current transaction; refused outside one. */
    private <T> T inTransaction(String sql, Binder binder, RowsReader<T> reader) {
        requireTransaction();
        return query(sql, binder, reader);
    }

    private void inTransaction(ConnectionWork work) {
        requireTransaction();
        try (Connection connection = dataSource.getConnection()) {
            work.run(connection);
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    private static void requireTransaction() {
        if (!QuarkusTransaction.isActive()) {
            throw new IllegalStateException("locks and writes of sessions run in a transaction: the service method's");
        }
    }
}
