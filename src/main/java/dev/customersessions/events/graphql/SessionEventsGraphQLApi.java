package dev.customersessions.events.graphql;

import java.util.function.Function;

import jakarta.inject.Inject;

import org.dataloader.DataLoader;
import org.dataloader.DataLoaderRegistry;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

import dev.customersessions.application.ApiKeyGrant;
import dev.customersessions.application.ApiKeyKind;
import dev.customersessions.application.ApiKeyScope;
import dev.customersessions.auth.Caller;
import dev.customersessions.auth.Caller.SessionKey;
import dev.customersessions.auth.ForbiddenException;
import dev.customersessions.common.InvalidArgumentException;
import dev.customersessions.common.LoggedFailures;
import dev.customersessions.common.NotFoundException;
import dev.customersessions.common.ResyncRequiredException;
import dev.customersessions.common.Validation;
import dev.customersessions.events.EventPosition;
import dev.customersessions.events.SessionChange;
import dev.customersessions.events.SessionEventHub;
import dev.customersessions.events.SessionEventHub.End;
import dev.customersessions.events.SessionEventHub.Sink;
import dev.customersessions.events.SessionEventHub.Subscription;
import dev.customersessions.session.CustomerSession;
import dev.customersessions.session.CustomerSessionService;
import graphql.schema.DataFetchingEnvironment;
import io.smallrye.graphql.api.Context;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.smallrye.mutiny.subscription.BackPressureStrategy;

/**
 * Subscriptions to change events, served over WebSocket (graphql-transport-ws, docs/events.md): one session's
 * changes, for the page that holds its session token or for the shop's servers, and an application's changes, for the
 * shop's servers only. Credentials and arguments are checked when the subscription starts; each change is then
 * delivered by {@link SessionEventHub} on a worker thread, in order.
 */
@GraphQLApi
@LoggedFailures
public class SessionEventsGraphQLApi {

    /**
     * Changes held for one subscriber until its worker thread takes them: a resume hands up to
     * {@link SessionEventHub#MAX_REPLAY} replayed changes at once, and live ones arrive meanwhile, a batch at a time. More,
     * and the subscription ends with RESYNC_REQUIRED, as when too many were missed. (A client that reads slowly is cut off
     * by the send buffer long before: close 1013.)
     */
    static final int BUFFERED_CHANGES = SessionEventHub.MAX_REPLAY + SessionEventHub.REPLAY_BATCH;

    @Inject
    Caller caller;

    @Inject
    CustomerSessionService sessions;

    @Inject
    SessionEventHub hub;

    @Inject
    Context context;

    @io.smallrye.graphql.api.Subscription("customerSessionChanged")
    @Description("Storefront (API key), over WebSocket: every change of the session with this integrationId, each with the session "
            + "as stored after it, until the session is deleted. A publishable key needs the session's sessionToken (without it, "
            + "or with another session's, the session is answered as not found; once a new token is issued, the subscription ends "
            + "with NOT_FOUND); a restricted key needs READ_SESSIONS. With sinceVersion, the session is sent at once when its "
            + "version is above it (what a reconnecting page missed).")
    public Multi<SessionEventType> customerSessionChanged(@NonNull @Name("integrationId") String integrationId,
            @Name("sinceVersion") @Description("The version the subscriber has: if the session is newer, it is sent at once.") Integer sinceVersion,
            @Name("sessionToken") @Description("With a publishable key: the session token that startCustomerSession gave.") String sessionToken) {
        SessionKey key = caller.session(ApiKeyScope.READ_SESSIONS, "Subscribing to any session", sessionToken);
        if (sinceVersion != null && sinceVersion < 0) {
            throw new InvalidArgumentException("sinceVersion must be 0 or more, not " + sinceVersion);
        }
        CustomerSession session = sessions.findWithoutCart(key.applicationId(), integrationId, key.requiredTokenHash())
                .orElseThrow(() -> new NotFoundException("no customer session with integrationId " + Validation.quoted(integrationId)));
        Long after = sinceVersion == null ? null : sinceVersion.longValue();
        return stream(sink -> hub.subscribeSession(key.applicationId(), session.id, key.requiredTokenHash(), session.version, after,
                sink));
    }

    @io.smallrye.graphql.api.Subscription("customerSessionsChanged")
    @Description("Shop server (secret key), over WebSocket: every change of your application's sessions that matches the filter, "
            + "in the order they were stored. With since (an event's cursor), what was missed after it is sent first; when the "
            + "service no longer holds it (events are kept customer-sessions.events.retention, 24 hours by default), the "
            + "subscription ends with RESYNC_REQUIRED: read the sessions again, then subscribe without since.")
    public Multi<SessionEventType> customerSessionsChanged(@Name("filter") SessionEventFilter filter,
            @Name("since") @Description("The cursor of the last event received, to resume after it.") String since) {
        ApiKeyGrant key = caller.apiKey();
        if (key.kind() != ApiKeyKind.SECRET) {
            throw new ForbiddenException("Subscribing to every session of the application needs a secret key");
        }
        EventPosition from = null;
        if (since != null) {
            from = EventPosition.ofCursor(since);
            if (from == null) {
                throw new InvalidArgumentException("since " + Validation.quoted(since) + " is not a cursor this service gave out");
            }
        }
        if (filter != null && filter.kinds != null && filter.kinds.size() > 8) {
            throw new InvalidArgumentException("filter.kinds names at most 8 kinds");
        }
        SessionEventFilter wanted = filter == null ? new SessionEventFilter() : filter;
        EventPosition resumeAt = from;
        return stream(sink -> hub.subscribeApplication(key.applicationId(), wanted::matches, resumeAt, sink));
    }

    /**
     * The subscription's stream: registered with the hub once graphql-java subscribes, delivered on a worker thread (the
     * fields of each event may read), in order, with a bounded buffer.
     */
    private Multi<SessionEventType> stream(Function<Sink, Subscription> subscribe) {
        DataFetchingEnvironment environment = context.unwrap(DataFetchingEnvironment.class);
        DataLoaderRegistry loaders = environment == null ? null : environment.getDataLoaderRegistry();
        return Multi.createFrom().<SessionChange> emitter(emitter -> {
            Subscription subscription = subscribe.apply(new Sink() {
                @Override
                public void change(SessionChange change) {
                    emitter.emit(change);
                }

                @Override
                public void end(End why) {
                    switch (why) {
                        case DELETED -> emitter.complete();
                        case TOKEN_REPLACED -> emitter.fail(new NotFoundException(
                                "the session no longer carries this session token (a new one was issued): the subscription ended"));
                        case RESYNC_REQUIRED -> emitter.fail(resyncRequired());
                    }
                }
            });
            emitter.onTermination(subscription::close);
        }, BackPressureStrategy.BUFFER)
                .onOverflow().buffer(BUFFERED_CHANGES)
                .onFailure(BackPressureFailure.class).transform(overflow -> resyncRequired())
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(change -> {
                    if (loaders != null) { // each event is its own: nothing of the one before stays cached for the subscription's life
                        loaders.getDataLoaders().forEach(DataLoader::clearAll);
                    }
                    return SessionEventType.of(change);
                });
    }

    /** The end of a subscriber that cannot be given everything it missed. */
    private static ResyncRequiredException resyncRequired() {
        return new ResyncRequiredException("the events since the cursor are no longer kept, or too many were missed: read the "
                + "sessions again, then subscribe without since");
    }
}
