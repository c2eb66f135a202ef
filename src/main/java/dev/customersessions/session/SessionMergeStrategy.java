package dev.customersessions.session;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Enum;

/**
 * Whose content survives when a guest session is merged with its customer's open session at login
 * ({@link SessionMerge}). Every strategy leaves the customer with one open session; the others end merged.
 */
@Enum("SessionMergeStrategy")
@Description("Whose cart survives when a guest session meets the customer's open session at login. Every "
        + "strategy leaves the customer exactly one open session; the others end in the state merged.")
public enum SessionMergeStrategy {
    @Description("The customer's open session survives and gets the guest's lines (a line equal but for its quantity adds its "
            + "quantity), coupon codes, identifiers, costs and attributes added; where both have a value, the customer's wins.")
    MERGE_LINES,
    @Description("The customer's open session survives as it is; the guest session is merged away, its content not carried over.")
    KEEP_CUSTOMER,
    @Description("The guest session gets the customer's profileId and survives as it is; the customer's open sessions are merged away.")
    USE_GUEST
}
