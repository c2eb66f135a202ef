package dev.customersessions.application.graphql;

import java.util.List;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

import dev.customersessions.application.ApiKeyKind;
import dev.customersessions.application.ApiKeyScope;

/** What kind of API key to issue. */
@Input("ApiKeyInput")
@Description("The kind of a new API key and what it may do.")
public class ApiKeyInput {

    @DefaultValue("SECRET")
    @Description("SECRET (the default), PUBLISHABLE or RESTRICTED.")
    public ApiKeyKind kind;

    @Description("A RESTRICTED key's permissions (at least one); none for the other kinds.")
    public List<@NonNull ApiKeyScope> scopes;

    @Description("A PUBLISHABLE key's allowed browser origins, such as https://shop.example.com (at most 20; left out: any "
            + "origin). A request with this key from another Origin is refused.")
    public List<@NonNull String> allowedOrigins;

    @Description("What the key is for, up to 200 characters (shown in apiKeys).")
    public String name;
}
