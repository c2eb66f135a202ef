package dev.customersessions.session.graphql;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Type;

/** The product a cart item is of. */
@Type("Product")
@Description("The product a cart item is of.")
public class ProductType {

    @Description("The product's name.")
    public String name;
}
