package dev.customersessions.application.graphql;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

/** The fields of an application a management client sets. */
@Input("ApplicationInput")
@Description("Fields of an application. On create, name and currency are required; on update, a field left out keeps its value.")
public class ApplicationInput {

    @Description("The application's name, 1..200 characters.")
    public String name;

    @Description("ISO 4217 currency code, e.g. EUR.")
    public String currency;

    @Description("Store cart items flattened (quantity n becomes n items of quantity 1). Applies to updates from now on.")
    public Boolean cartItemFlattening;

    @Description("Days an open session is kept after its last change, then deleted: whole days from 1 to 3650; null keeps open "
            + "sessions forever (retention off). On create, left out: 90; on update, left out keeps the value.")
    public Integer openSessionRetentionDays;

    @Description("Days a finished session (closed, cancelled, partially_returned, any state but open) is kept after its last "
            + "change, then deleted: whole days from 1 to 3650; null keeps them forever. On create, left out: null.")
    public Integer finishedSessionRetentionDays;
}
