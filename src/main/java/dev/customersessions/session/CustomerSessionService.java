package dev.customersessions.session;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.customersessions.application.ApiKeyKind;
import dev.customersessions.application.ApplicationSettings;
import dev.customersessions.application.DefinitionService;
import dev.customersessions.common.Clock;
import dev.customersessions.common.Lazy;
import dev.customersessions.common.FieldPath;
import dev.customersessions.common.PageRequest;
import dev.customersessions.common.RefusedException;
import dev.customersessions.common.UserErrorCode;
import dev.customersessions.common.Validation;
import dev.customersessions.idempotency.IdempotentWrites;
import dev.customersessions.idempotency.RequestKey;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The customer session use cases. Each write is one transaction that locks the session row, so concurrent writers
 * queue up and every change builds on the latest stored version; a refusal throws {@link RefusedException} and
 * rolls everything back. A dry run does the same work and then rolls back.
 */
@ApplicationScoped
public class CustomerSessionService {

    @Inject
    CustomerSessionRepository sessions;

    @Inject
    DefinitionService definitions;

    @Inject
    IdempotentWrites writes;

    /**
     * The session with its session-level costs and its cart: one statement (so one snapshot, without a transaction).
     * At most {@code maxCartRows} cart rows (see {@link CustomerSessionRepository#findWithCart}). An integrationId the
     * mutations refuse (empty, too long, unstorable) is refused here too, with their message, as a top-level
     * {@code VALIDATION_FAILED} error ({@link SessionRules#checkIntegrationIdArgument}).
     */
    public Optional<SessionSnapshot> find(long applicationId, String integrationId, String tokenHash, int maxCartRows) {
        SessionRules.checkIntegrationIdArgument(integrationId);
        return sessions.findWithCart(applicationId, integrationId, tokenHash, maxCartRows);
    }

    /**
     * The session with its session-level costs, without its cart: one statement. With a token hash, only a session
     * that carries it (see {@link SessionAccess}). An integrationId refused as by {@link #find}.
     */
    public Optional<CustomerSession> findWithoutCart(long applicationId, String integrationId, String tokenHash) {
        SessionRules.checkIntegrationIdArgument(integrationId);
        return sessions.find(applicationId, integrationId, tokenHash);
    }

    /**
     * Gives an existing session a new token (the old one stops working): for the shop's server handing a session over to
     * a page. Returns the session as stored, with its cart (read in the write, so that the answer needs nothing more).
     *
     * @throws RefusedException NOT_FOUND when there is no such session; an integrationId the other mutations refuse is
     *                          refused the same way
     */
    public <T> T replaceToken(long applicationId, String integrationId, String tokenHash, RequestKey key,
            Function<SessionSnapshot, T> view) {
        return writes.run(key, () -> {
            Validation v = new Validation();
            SessionRules.checkIntegrationId(integrationId, v);
            v.throwIfFailed();
            if (!sessions.replaceToken(applicationId, integrationId, tokenHash)) {
                throw notFound(integrationId);
            }
            SessionSnapshot snapshot = sessions.lockWithCart(applicationId, integrationId, null).orElseThrow();
            RequestKey.concerns(key, snapshot.session().id);
            return view.apply(withReturns(snapshot));
        });
    }

    /**
     * The application's sessions with the given ids that still exist, each as stored with its cart and returns, keyed by id; each
     * session's token hash is on it (for a reader that must check one). Three statements at most, however many
     * sessions: for the change events' subscribers (docs/events.md). At most {@code maxCartRows} cart rows in all.
     */
    public Map<Long, SessionSnapshot> snapshotsOf(long applicationId, Collection<Long> sessionIds, int maxCartRows) {
        Map<Long, SessionSnapshot> snapshots = new LinkedHashMap<>();
        if (sessionIds.isEmpty()) {
            return snapshots;
        }
        List<CustomerSession> found = sessions.byIds(applicationId, sessionIds);
        if (found.isEmpty()) {
            return snapshots;
        }
        List<Long> ids = found.stream().map(s -> s.id).toList();
        Map<Long, List<CartLine>> carts = cartsOf(applicationId, ids, maxCartRows);
        List<Long> withReturns = found.stream().filter(s -> s.state == SessionState.partially_returned || s.state == SessionState.cancelled)
                .map(s -> s.id).toList();
        Map<Long, List<CartItemReturn>> returns = withReturns.isEmpty() ? Map.of() : returnsOf(applicationId, withReturns);
        for (CustomerSession session : found) {
            snapshots.put(session.id, new SessionSnapshot(session, carts.get(session.id), returns.getOrDefault(session.id, List.of())));
        }
        return snapshots;
    }

    /** The sessions of the page asked for (and one more, if there is), with their session-level costs: one statement. */
    public List<CustomerSession> page(long applicationId, SessionFilter filter, PageRequest request) {
        if (!filter.isSatisfiable()) {
            return List.of();
        }
        return sessions.page(applicationId, filter, request.afterId(), request.fetchSize());
    }

    /**
     * The returns of the given sessions of the application (with their lines), keyed by session id, oldest first; none
     * map to []. One statement.
     */
    public Map<Long, List<CartItemReturn>> returnsOf(long applicationId, Collection<Long> sessionIds) {
        Map<Long, List<CartItemReturn>> returns = new LinkedHashMap<>();
        sessionIds.forEach(id -> returns.put(id, new ArrayList<>()));
        for (CartItemReturn r : sessions.returnsOf(applicationId, sessionIds)) {
            returns.get(r.sessionId()).add(r);
        }
        return returns;
    }

    /**
     * The carts of the given sessions of the application, keyed by session id, each in cart order; sessions without
     * items map to []. One statement.
     */
    public Map<Long, List<CartLine>> cartsOf(long applicationId, Collection<Long> sessionIds, int maxRows) {
        Map<Long, List<CartLine>> carts = new LinkedHashMap<>();
        sessionIds.forEach(id -> carts.put(id, new ArrayList<>()));
        for (CartLine line : sessions.cartLinesOf(applicationId, sessionIds, maxRows)) {
            carts.get(line.sessionId()).add(line);
        }
        return carts;
    }

    /**
     * Creates the session or updates it by the merge rule and the state machine (spec section 5), storing the cart
     * flattened when the application says so (spec section 4).
     *
     * @param request builds the update from the application's settings (read, in the write's transaction, only if it
     *                asks for them), reporting the problems of its input to the Validation; these rules' own problems
     *                are reported with them, all at once
     * @param view    builds the response from the session as stored (or, with {@code dry}, as it would be stored),
     *                cart loaded, inside the transaction: a write whose response cannot be built is rolled back
     * @param key     the request's Idempotency-Key, or null ({@link IdempotentWrites#run})
     * @throws RefusedException with the user errors when the request is refused; nothing is stored then
     */
    public <T> T update(long applicationId, String integrationId, SessionAccess access,
            BiFunction<Supplier<ApplicationSettings>, Validation, SessionUpdate> request,
            boolean dry, Long expectedVersion, RequestKey key, Function<SessionSnapshot, T> view) {
        return inTransaction(dry, key, () -> {
            Validation v = new Validation();
            Lazy<ApplicationSettings> settings = Lazy.of(() -> definitions.settingsOf(applicationId));
            SessionUpdate update = request.apply(settings, v);
            SessionRules.checkIntegrationId(integrationId, v);
            SessionRules.checkExpectedVersion(expectedVersion, v);
            boolean flatten = update.cartItems() != null && settings.get().cartItemFlattening();
            SessionRules.check(update, flatten, v);
            v.throwIfFailed();
            SessionUpdate stored = flatten ? update.flattened() : update;
            // The cart in the other form (as sent when it is stored flattened, flattened when it is not) also counts
            // as unchanged: a cart stored before flattening was switched is still the same cart when sent again.
            // Built only when the update would change the stored content.
            Supplier<SessionUpdate> otherForm = flatten ? () -> update : Lazy.of(() -> update.flattenedWithin(SessionRules.MAX_FLATTENED_UNITS));
            SessionSnapshot result = sessions.lockWithCart(applicationId, integrationId, access.requiredTokenHash())
                    .map(session -> change(session, stored, otherForm, expectedVersion, access))
                    .orElseGet(() -> {
                        if (!access.mayCreate()) {
                            throw notFound(integrationId);
                        }
                        return create(applicationId, integrationId, stored, otherForm, expectedVersion, access);
                    });
            RequestKey.concerns(key, result.session().id);
            return view.apply(withReturns(result));
        });
    }

    /**
     * Applies line operations (add, change, remove lines by their line ids: {@link CartEdit}) to the session's cart as
     * stored, under the session's lock, so that concurrent pages each change what they name and nothing else. The
     * cart is then checked and stored as a whole-cart update's would be: flattened when the application says so,
     * within the limits, only while the session is open. An edit that leaves the cart as it is changes nothing.
     *
     * @param request builds the edit from the application's settings (its definitions), reporting input problems
     * @throws RefusedException NOT_FOUND for a session the caller cannot reach or a line id the cart does not have;
     *                          nothing is stored then
     */
    public <T> T editCart(long applicationId, String integrationId, SessionAccess access,
            BiFunction<Supplier<ApplicationSettings>, Validation, CartEdit> request, boolean dry, Long expectedVersion,
            RequestKey key, Function<SessionSnapshot, T> view) {
        return inTransaction(dry, key, () -> {
            Validation v = new Validation();
            Lazy<ApplicationSettings> settings = Lazy.of(() -> definitions.settingsOf(applicationId));
            CartEdit edit = request.apply(settings, v);
            SessionRules.checkIntegrationId(integrationId, v);
            SessionRules.checkExpectedVersion(expectedVersion, v);
            edit.check(v);
            v.throwIfFailed();
            SessionSnapshot snapshot = sessions.lockWithCart(applicationId, integrationId, access.requiredTokenHash())
                    .orElseThrow(() -> notFound(integrationId));
            CustomerSession stored = snapshot.session();
            RequestKey.concerns(key, stored.id);
            checkVersion(stored.version, expectedVersion);
            if (!stored.state.isContentEditable()) {
                throw new RefusedException(UserErrorCode.SESSION_NOT_OPEN, edit.path(),
                        "the session is " + stored.state + "; only an open session's cart can change");
            }
            SessionContent before = SessionContent.of(stored, snapshot.cart());
            Validation lines = new Validation();
            SessionContent after = edit.applyTo(before, settings.get().cartItemFlattening(), lines);
            lines.throwIfFailed();
            if (after.equals(before)) {
                return view.apply(withReturns(snapshot));
            }
            // The lines an edit leaves alone keep the prices whoever set them sent: a page's stay a page's claim.
            String setBy = ApiKeyKind.PUBLISHABLE.name().equals(stored.cartSetBy) ? stored.cartSetBy : access.keyKind();
            return view.apply(withReturns(nextVersion(snapshot, before, after, stored.state, setBy)));
        });
    }

    /** The snapshot with its returns, read when its state says it may have some. */
    private SessionSnapshot withReturns(SessionSnapshot snapshot) {
        return snapshot.session().mayHaveReturns() ? snapshot.withReturns(returnsOf(snapshot.session())) : snapshot;
    }

    /** The session's returns, read when its state says it may have some. */
    private List<CartItemReturn> returnsOf(CustomerSession session) {
        return session.mayHaveReturns() ? sessions.returnsOf(session.applicationId, List.of(session.id)) : List.of();
    }

    /**
     * Returns cart items of a closed or partially returned session (spec section 6): raises their returned
     * quantities, records the return and moves the session to partially_returned. A request that names a position
     * the cart does not have, or more units than remain at one, is refused whole. {@code view} as for {@link #update}.
     */
    public <T> T returnItems(long applicationId, String integrationId, List<ReturnRequest> items, boolean dry,
            Long expectedVersion, RequestKey key, Function<SessionSnapshot, T> view) {
        return inTransaction(dry, key, () -> {
            Validation v = new Validation();
            SessionRules.checkIntegrationId(integrationId, v);
            SessionRules.checkExpectedVersion(expectedVersion, v);
            SessionRules.checkReturn(items, v);
            v.throwIfFailed();
            SessionSnapshot snapshot = sessions.lockWithCart(applicationId, integrationId, null).orElseThrow(() -> notFound(integrationId));
            CustomerSession stored = snapshot.session();
            RequestKey.concerns(key, stored.id);
            checkVersion(stored.version, expectedVersion);
            if (stored.state != SessionState.closed && stored.state != SessionState.partially_returned) {
                throw new RefusedException(UserErrorCode.INVALID_STATE_TRANSITION, FieldPath.of("integrationId"), "the session is "
                        + stored.state + "; cart items can be returned only from a closed or partially_returned session");
            }
            List<CartItemReturn> returns = new ArrayList<>(returnsOf(stored));
            if (returns.size() >= SessionRules.MAX_RETURNS) {
                throw new RefusedException(UserErrorCode.LIMIT_EXCEEDED, FieldPath.of("items"), "a session can have at most "
                        + SessionRules.MAX_RETURNS + " returns; return several positions in one request");
            }
            Validation problems = new Validation();
            List<CartLine> cart = new ArrayList<>(snapshot.cart());
            List<CartItemReturn.Line> lines = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                ReturnRequest request = items.get(i);
                FieldPath at = FieldPath.of("items").then(i);
                if (request.position() >= cart.size()) {
                    problems.fail(UserErrorCode.NOT_FOUND, at.then("position"), "the cart has no item at position " + request.position()
                            + " (positions 0 to " + (cart.size() - 1) + ")");
                    continue;
                }
                CartLine item = cart.get(request.position());
                int remaining = item.quantity() - item.returnedQuantity();
                int units = request.quantity() == null ? remaining : request.quantity();
                if (units > remaining || units == 0) {
                    problems.fail(UserErrorCode.RETURN_EXCEEDS_REMAINING, request.quantity() == null ? at : at.then("quantity"),
                            "position " + request.position() + " has " + remaining + " of " + item.quantity()
                                    + " units left to return, asked for " + (request.quantity() == null ? "all of them" : units));
                    continue;
                }
                cart.set(request.position(), item.withReturned(item.returnedQuantity() + units));
                lines.add(new CartItemReturn.Line(request.position(), units));
            }
            problems.throwIfFailed();
            lines.sort(Comparator.comparingInt(CartItemReturn.Line::position));
            OffsetDateTime now = Clock.now();
            long id = sessions.insertReturn(stored.applicationId, stored.id, now, lines, SessionState.partially_returned);
            returns.add(new CartItemReturn(id, stored.id, now, List.copyOf(lines)));
            stored.state = SessionState.partially_returned;
            stored.updated = now;
            stored.version = stored.version + 1;
            return view.apply(new SessionSnapshot(stored, cart, returns));
        });
    }

    /**
     * Moves an existing session to {@code target} (close or cancel), or leaves it when it is there already.
     * {@code view} builds the response as for {@link #update}.
     */
    public <T> T transition(long applicationId, String integrationId, SessionState target, boolean dry, Long expectedVersion,
            RequestKey key, Function<SessionSnapshot, T> view) {
        return inTransaction(dry, key, () -> {
            Validation v = new Validation();
            SessionRules.checkIntegrationId(integrationId, v);
            SessionRules.checkExpectedVersion(expectedVersion, v);
            v.throwIfFailed();
            SessionSnapshot snapshot = sessions.lockWithCart(applicationId, integrationId, null).orElseThrow(() -> notFound(integrationId));
            CustomerSession stored = snapshot.session();
            RequestKey.concerns(key, stored.id);
            checkVersion(stored.version, expectedVersion);
            if (stored.state == target) {
                return view.apply(withReturns(snapshot));
            }
            checkTransition(stored.state, target, FieldPath.of("integrationId"));
            SessionContent content = SessionContent.of(stored, snapshot.cart());
            return view.apply(withReturns(nextVersion(snapshot, content, content, target, null)));
        });
    }

    /**
     * Binds a guest session to a customer at login and merges it with the customer's open sessions by the strategy
     * (docs/login.md; the rules are {@link SessionMerge}'s). The profile's lock comes first, so that two merges of one
     * customer queue and the second finds what the first left: one open session. Then the sessions involved are locked
     * in id order, so that merges that share a session never wait for each other in a circle. The survivor is written as
     * its next version (when it changes) and the others end merged, in one transaction. {@code expectedVersion} is the
     * guest session's; {@code view} builds the response as for {@link #update}.
     *
     * @throws RefusedException NOT_FOUND, VERSION_CONFLICT, SESSION_NOT_OPEN, PROFILE_MISMATCH or LIMIT_EXCEEDED; nothing is
     *                          stored then
     */
    public <T> T merge(long applicationId, String integrationId, String profileId, SessionMergeStrategy strategy, String keyKind,
            boolean dry, Long expectedVersion, RequestKey key, Function<MergeResult, T> view) {
        return inTransaction(dry, key, () -> {
            SessionMerge.checkArguments(integrationId, profileId, expectedVersion);
            sessions.lockProfile(applicationId, profileId);
            SessionSnapshot guest = null;
            List<SessionSnapshot> customer = new ArrayList<>();
            for (CustomerSessionRepository.SessionIds found : sessions.mergeCandidates(applicationId, integrationId, profileId, SessionMerge.MAX_OPEN_SESSIONS)) {
                Optional<SessionSnapshot> locked = sessions.lockWithCart(applicationId, found.integrationId(), null);
                if (locked.isPresent() && found.integrationId().equals(integrationId)) {
                    guest = locked.get();
                } else {
                    locked.ifPresent(customer::add);
                }
            }
            if (guest == null) {
                throw notFound(integrationId);
            }
            checkVersion(guest.session().version, expectedVersion);
            SessionMerge merge = SessionMerge.plan(guest, customer, profileId, strategy,
                    () -> definitions.settingsOf(applicationId).cartItemFlattening(), keyKind);
            if (merge.changesNothing()) {
                return view.apply(new MergeResult(merge.survivor(), List.of()));
            }
            RequestKey.concerns(key, merge.survivor().session().id); // every session merged ends with the profile, erased with it
            SessionSnapshot survivor = merge.after().equals(merge.before()) ? merge.survivor()
                    : nextVersion(merge.survivor(), merge.before(), merge.after(), SessionState.open, merge.cartSetBy());
            List<SessionSnapshot> merged = new ArrayList<>();
            if (!merge.mergedAway().isEmpty()) {
                OffsetDateTime now = Clock.now();
                sessions.markMerged(applicationId, merge.mergedAway().stream().map(s -> s.session().id).toList(), profileId,
                        survivor.session().id, now);
                merge.mergedAway().forEach(s -> merged.add(SessionMerge.mergedAway(s, profileId, survivor.session().integrationId, now)));
            }
            return view.apply(new MergeResult(survivor, merged));
        });
    }

    private static RefusedException notFound(String integrationId) {
        return new RefusedException(UserErrorCode.NOT_FOUND, FieldPath.of("integrationId"),
                "no customer session with integrationId " + Validation.quoted(integrationId));
    }

    /**
     * Stores a new session; when a concurrent first update of the same integration id stored it first, waits for it
     * and updates what it stored instead.
     */
    private SessionSnapshot create(long applicationId, String integrationId, SessionUpdate update, Supplier<SessionUpdate> otherForm,
            Long expectedVersion, SessionAccess access) {
        if (expectedVersion != null && expectedVersion != 0) {
            throw new RefusedException(UserErrorCode.VERSION_CONFLICT, FieldPath.of("expectedVersion"),
                    "expectedVersion is " + expectedVersion + " but no session with this integrationId exists (current version: 0)");
        }
        SessionState state = update.state() == null ? SessionState.open : update.state();
        if (!state.canCreateIn()) {
            throw new RefusedException(UserErrorCode.INVALID_STATE_TRANSITION, FieldPath.of("input", "state"),
                    "a session can be created as open or closed, not " + state);
        }
        SessionContent content = SessionContent.EMPTY.merge(update).withLineIdsFrom(1);
        CustomerSession session = new CustomerSession();
        session.applicationId = applicationId;
        session.integrationId = integrationId;
        session.state = state;
        session.firstSession = isFirstSession(applicationId, content.profileId());
        session.created = Clock.now();
        session.updated = session.created;
        session.version = 1L;
        session.tokenHash = access.newTokenHash();
        session.cartSetBy = content.cartItems().isEmpty() && content.additionalCosts().isEmpty() ? null : access.keyKind();
        session.nextLineId = content.cartItems().size() + 1;
        Optional<Long> id = sessions.insert(session, content);
        if (id.isEmpty()) { // created meanwhile by a concurrent request, which has committed by now
            return sessions.lockWithCart(applicationId, integrationId, access.requiredTokenHash())
                    .map(stored -> change(stored, update, otherForm, expectedVersion, access))
                    .orElseThrow(() -> new IllegalStateException("a session that was just created is gone"));
        }
        session.id = id.get();
        return content.snapshot(session);
    }

    private boolean isFirstSession(long applicationId, String profileId) {
        return profileId == null || sessions.isFirstSession(applicationId, profileId);
    }

    private SessionSnapshot change(SessionSnapshot snapshot, SessionUpdate update, Supplier<SessionUpdate> otherForm, Long expectedVersion,
            SessionAccess access) {
        CustomerSession stored = snapshot.session();
        checkVersion(stored.version, expectedVersion);
        SessionContent before = SessionContent.of(stored, snapshot.cart());
        SessionContent after = before.merge(update);
        boolean contentChanged = !after.equals(before) && (otherForm.get() == null || !before.merge(otherForm.get()).equals(before));
        if (contentChanged && !stored.state.isContentEditable()) {
            throw new RefusedException(UserErrorCode.SESSION_NOT_OPEN, FieldPath.of("input"),
                    "the session is " + stored.state + "; only an open session's content can change");
        }
        SessionState state = stored.state;
        if (update.state() != null && update.state() != state) {
            checkTransition(state, update.state(), FieldPath.of("input", "state"));
            state = update.state();
        }
        if (!contentChanged && state == stored.state) {
            return snapshot;
        }
        boolean cartChanged = contentChanged && (!after.cartItems().equals(before.cartItems())
                || !after.additionalCosts().equals(before.additionalCosts()));
        return nextVersion(snapshot, before, contentChanged ? after : before, state, cartChanged ? access.keyKind() : null);
    }

    /**
     * Stores the session's new content and state as its next version (writing only what differs from {@code before})
     * and returns it as stored. The snapshot's session, read under the lock for this write, becomes the new version.
     */
    private SessionSnapshot nextVersion(SessionSnapshot snapshot, SessionContent before, SessionContent written, SessionState state,
            String cartSetBy) {
        CustomerSession session = snapshot.session();
        OffsetDateTime now = Clock.now();
        SessionContent stored = written.withLineIdsFrom(session.nextLineId);
        int nextLineId = session.nextLineId + written.newLines();
        sessions.update(session.applicationId, session.id, before, stored, state, now, cartSetBy, nextLineId,
                SessionEventKind.ofChange(session.state, state));
        session.nextLineId = nextLineId;
        if (cartSetBy != null) {
            session.cartSetBy = cartSetBy;
        }
        session.state = state;
        session.updated = now;
        session.version = session.version + 1;
        // Content changes only while the session is open, which has no returns: the stored lines keep theirs otherwise.
        return written == before ? written.snapshot(session, snapshot.cart()) : stored.snapshot(session);
    }

    private static void checkTransition(SessionState from, SessionState target, FieldPath field) {
        if (!from.canUpdateTo(target)) {
            throw new RefusedException(UserErrorCode.INVALID_STATE_TRANSITION, field,
                    "a " + from + " session cannot become " + target
                            + (target == SessionState.partially_returned ? " by an update; return cart items instead" : ""));
        }
    }

    private static void checkVersion(long current, Long expected) {
        if (expected != null && expected != current) {
            throw new RefusedException(UserErrorCode.VERSION_CONFLICT, FieldPath.of("expectedVersion"),
                    "expectedVersion is " + expected + " but the session's current version is " + current);
        }
    }

    /**
     * Runs the work in a transaction of its own and commits it (under an Idempotency-Key, with the request's answer:
     * {@link IdempotentWrites}); a dry run is rolled back instead, and its result returned all the same (a key does
     * not apply to a dry run).
     */
    private <T> T inTransaction(boolean dry, RequestKey key, Supplier<T> work) {
        if (!dry) {
            return writes.run(key, work);
        }
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                throw new DryRunRollback(work.get());
            });
        } catch (DryRunRollback dryRun) {
            @SuppressWarnings("unchecked")
            T response = (T) dryRun.result;
            return response;
        }
    }

    /** Ends a dry run's transaction by rolling it back, carrying out the response it built. */
    private static final class DryRunRollback extends RuntimeException {
        final transient Object result;

        DryRunRollback(Object result) {
            super(null, null, false, false);
            this.result = result;
        }
    }
}
