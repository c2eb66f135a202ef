package dev.customersessions.application.graphql;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.application.Application;

/** An application as served. */
@Type("Application")
@Description("A tenant: one storefront or brand. Sessions and API keys belong to exactly one application.")
public class ApplicationType {

    @NonNull
    @Description("The application's id.")
    @Id
    public Long id;

    @NonNull
    @Description("The application's name.")
    public String name;

    @NonNull
    @Description("ISO 4217 currency of the application's prices, e.g. EUR.")
    public String currency;

    @Description("When true, a cart item sent with quantity n is stored as n items of quantity 1 at consecutive positions "
            + "(totals unchanged), and a cart may hold 10,000 units. Default false.")
    public boolean cartItemFlattening;

    @Description("Days an open session is kept after its last change before it is deleted; null: kept forever.")
    public Integer openSessionRetentionDays;

    @Description("Days a finished session (any state but open) is kept after its last change before it is deleted; null: kept forever.")
    public Integer finishedSessionRetentionDays;

    @NonNull
    @Description("When the application was created (UTC).")
    public OffsetDateTime created;

    @NonNull
    @Description("When the application was last changed (UTC).")
    public OffsetDateTime updated;

    static ApplicationType of(Application application) {
        ApplicationType type = new ApplicationType();
        type.id = application.id;
        type.name = application.name;
        type.currency = application.currency;
        type.cartItemFlattening = application.cartItemFlattening;
        type.openSessionRetentionDays = application.openSessionRetentionDays;
        type.finishedSessionRetentionDays = application.finishedSessionRetentionDays;
        type.created = application.created;
        type.updated = application.updated;
        return type;
    }
}
