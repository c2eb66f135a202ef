package dev.customersessions.application.graphql;

import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.application.AdditionalCostDefinition;
import dev.customersessions.application.AttributeDefinition;
import dev.customersessions.common.AdditionalCostScope;
import dev.customersessions.common.AttributeEntity;
import dev.customersessions.common.AttributeKind;
import dev.customersessions.application.graphql.ApplicationPayloads.Refusable;
import dev.customersessions.common.UserError;

/** Attribute and additional cost definitions as served and as sent, with the results of defining them. */
final class DefinitionTypes {

    private DefinitionTypes() {
    }

    @Type("AttributeDefinition")
    @Description("A custom attribute the application accepts. Its name and type never change.")
    public static class AttributeDefinitionType {
        @NonNull
        @Id
        @Description("The definition's id.")
        public Long id;

        @NonNull
        @Description("Whether it is an attribute of customer sessions or of cart items.")
        public AttributeEntity entity;

        @NonNull
        @Description("The attribute's name, as sent in AttributeInput.name.")
        public String name;

        @NonNull
        @Description("The type every value must have: the one value field of AttributeInput that may be set.")
        public AttributeKind type;

        @Description("What the attribute means, for people.")
        public String description;

        @NonNull
        @Description("When it was defined (UTC).")
        public OffsetDateTime created;

        static AttributeDefinitionType of(AttributeDefinition d) {
            AttributeDefinitionType type = new AttributeDefinitionType();
            type.id = d.id;
            type.entity = d.entity;
            type.name = d.name;
            type.type = d.type;
            type.description = d.description;
            type.created = d.created;
            return type;
        }
    }

    @Type("AdditionalCostDefinition")
    @Description("An additional cost the application accepts, such as shipping. Its name never changes; its scope only widens.")
    public static class AdditionalCostDefinitionType {
        @NonNull
        @Id
        @Description("The definition's id.")
        public Long id;

        @NonNull
        @Description("The cost's name, as sent in AdditionalCostInput.name.")
        public String name;

        @NonNull
        @Description("A title for people, e.g. \"Shipping\".")
        public String title;

        @Description("What the cost is, for people.")
        public String description;

        @NonNull
        @Description("Where the cost may be given: on the session, on cart items, or both.")
        public AdditionalCostScope scope;

        @NonNull
        @Description("When it was defined (UTC).")
        public OffsetDateTime created;

        static AdditionalCostDefinitionType of(AdditionalCostDefinition d) {
            AdditionalCostDefinitionType type = new AdditionalCostDefinitionType();
            type.id = d.id;
            type.name = d.name;
            type.title = d.title;
            type.description = d.description;
            type.scope = d.scope;
            type.created = d.created;
            return type;
        }
    }

    @Input("AttributeDefinitionInput")
    @Description("A custom attribute to define. Defining an existing entity and name again changes only its description; its type cannot change.")
    public static class AttributeDefinitionInput {
        @NonNull
        @Description("Customer sessions or cart items.")
        public AttributeEntity entity;

        @NonNull
        @Description("Name: a letter, then letters, digits or underscores (at most 100 characters); unique per entity.")
        public String name;

        @NonNull
        @Description("The type of its values.")
        public AttributeKind type;

        @Description("What it means (at most 1000 characters); \"\" clears it.")
        public String description;
    }

    @Input("AdditionalCostDefinitionInput")
    @Description("An additional cost to define. Defining an existing name again changes its title, description and scope; "
            + "the scope can only widen (SESSION or ITEM to BOTH).")
    public static class AdditionalCostDefinitionInput {
        @NonNull
        @Description("Name: a letter, then letters, digits or underscores (at most 100 characters).")
        public String name;

        @NonNull
        @Description("A title for people, 1..200 characters.")
        public String title;

        @Description("What the cost is (at most 1000 characters); \"\" clears it.")
        public String description;

        @NonNull
        @Description("Where the cost may be given.")
        public AdditionalCostScope scope;
    }

    @Type("AttributeDefinitionPayload")
    @Description("The attribute definition after defineAttribute.")
    public static class AttributeDefinitionPayload implements Refusable {
        @Description("The definition; null when refused.")
        public AttributeDefinitionType attributeDefinition;

        @NonNull
        @Description("Why the mutation was refused; empty when it succeeded.")
        public List<@NonNull UserError> userErrors = List.of();

        @Override
        @Ignore
        public void refuse(List<UserError> errors) {
            userErrors = errors;
        }
    }

    @Type("AdditionalCostDefinitionPayload")
    @Description("The additional cost definition after defineAdditionalCost.")
    public static class AdditionalCostDefinitionPayload implements Refusable {
        @Description("The definition; null when refused.")
        public AdditionalCostDefinitionType additionalCostDefinition;

        @NonNull
        @Description("Why the mutation was refused; empty when it succeeded.")
        public List<@NonNull UserError> userErrors = List.of();

        @Override
        @Ignore
        public void refuse(List<UserError> errors) {
            userErrors = errors;
        }
    }
}
