package dev.customersessions.session;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A shopper's cart session in one application, keyed by the client's integration id: the row of the aggregate
 * root with its session-level costs, as {@link CustomerSessionRepository} reads and writes it. Its cart is read
 * with it into {@link CartLine}s ({@link SessionSnapshot}); every stored change raises {@link #version}.
 */
public class CustomerSession {

    public Long id;
    public Long applicationId;
    public String integrationId;
    public String profileId;
    public List<String> couponCodes = new ArrayList<>();
    public String referralCode;
    public List<String> loyaltyCards = new ArrayList<>();
    public SessionState state;
    public List<String> identifiers = new ArrayList<>();
    /** A JSON object, as text. */
    public String attributes = "{}";
    public boolean firstSession;
    public OffsetDateTime created;
    public OffsetDateTime updated;
    /** 1 at creation, +1 on every stored change (the session row changes with each: at least {@link #updated}). */
    public Long version;
    /** SHA-256 of the session token given to the page that started it through a publishable key; null if none. */
    public String tokenHash;
    /** The kind of API key whose request last set the cart (items or costs); null before anyone did. */
    public String cartSetBy;
    /** The id the next new cart line gets: line ids are never reused within a session. */
    public int nextLineId = 1;
    /** Sorted by name. */
    public List<AdditionalCostData> additionalCosts = new ArrayList<>();
    /**
     * The integrationId of the session this one was merged into, when it is {@link SessionState#merged} (null when that
     * session has been deleted since); null otherwise.
     */
    public String mergedInto;

    /** Whether the session may have returns: it was closed and then had items returned (and may have been cancelled since). */
    public boolean mayHaveReturns() {
        return state == SessionState.partially_returned || state == SessionState.cancelled;
    }
}
