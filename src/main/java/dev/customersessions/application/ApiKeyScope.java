package dev.customersessions.application;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Enum;

/** What a restricted key may do; a secret key may do all of it, a publishable key none of it beyond its own sessions. */
@Enum("ApiKeyScope")
@Description("One permission of a RESTRICTED API key (a SECRET key has them all).")
public enum ApiKeyScope {
    @Description("customerSession and customerSessions: read any session of the application.")
    READ_SESSIONS,
    @Description("updateCustomerSession, startCustomerSession, mergeCustomerSession and the line operations (addCartItems, "
            + "updateCartItems, removeCartItems): create and change sessions, bind them to a customer (profileId).")
    WRITE_SESSIONS,
    @Description("closeCustomerSession, and (with WRITE_SESSIONS) updateCustomerSession with state closed: the order was placed.")
    CLOSE_SESSIONS,
    @Description("cancelCustomerSession, and (with WRITE_SESSIONS) updateCustomerSession with state cancelled.")
    CANCEL_SESSIONS,
    @Description("returnCartItems.")
    RETURN_CART_ITEMS,
    @Description("issueSessionToken: hand a session over to a page (with the publishable key, that is reading and changing it).")
    ISSUE_SESSION_TOKENS,
    @Description("application: the application's settings and definitions.")
    READ_APPLICATION,
    @Description("eraseCustomerData: delete or strip every session of a customer (profileId), for a request to erase their data.")
    ERASE_CUSTOMER_DATA
}
