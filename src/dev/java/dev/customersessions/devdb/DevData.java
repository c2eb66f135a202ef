package dev.customersessions.devdb;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.application.Application;
import dev.customersessions.application.ApplicationService;
import dev.customersessions.application.DefinitionService;
import dev.customersessions.common.AdditionalCostScope;
import dev.customersessions.common.AttributeEntity;
import dev.customersessions.common.AttributeKind;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;

/**
 * Dev mode only: makes sure a demo application with the configured dev API key exists, with the attributes and
 * additional costs the tutorial (docs/tutorial.md) uses, and prints what to paste
 * into GraphiQL.
 */
@IfBuildProfile("dev")
public class DevData {

    private static final Logger LOG = Logger.getLogger(DevData.class);

    @Inject
    ApplicationService applications;

    @Inject
    CustomerSessionsConfig config;

    @Inject
    DefinitionService definitions;

    /** The attributes and costs the tutorial (docs/tutorial.md) uses (defining them again changes nothing). */
    private void defineDemoCatalogue(long applicationId) {
        definitions.defineCost(applicationId, "shipping", "Shipping", "Delivery of the whole order", AdditionalCostScope.SESSION, null);
        definitions.defineCost(applicationId, "giftWrap", "Gift wrap", "Wrapping, per unit", AdditionalCostScope.ITEM, null);
        definitions.defineAttribute(applicationId, AttributeEntity.CUSTOMER_SESSION, "shippingCity", AttributeKind.STRING, "City of delivery", null);
        definitions.defineAttribute(applicationId, AttributeEntity.CUSTOMER_SESSION, "giftWrap", AttributeKind.BOOLEAN, null, null);
        definitions.defineAttribute(applicationId, AttributeEntity.CUSTOMER_SESSION, "weightFactor", AttributeKind.NUMBER, null, null);
        definitions.defineAttribute(applicationId, AttributeEntity.CUSTOMER_SESSION, "deliveryDate", AttributeKind.TIME, null, null);
        definitions.defineAttribute(applicationId, AttributeEntity.CUSTOMER_SESSION, "tags", AttributeKind.STRING_LIST, null, null);
        definitions.defineAttribute(applicationId, AttributeEntity.CUSTOMER_SESSION, "sizes", AttributeKind.NUMBER_LIST, null, null);
        definitions.defineAttribute(applicationId, AttributeEntity.CART_ITEM, "color", AttributeKind.STRING, "Colour of the item", null);
        definitions.defineAttribute(applicationId, AttributeEntity.CART_ITEM, "size", AttributeKind.NUMBER, "Shoe size", null);
    }

    void onStart(@Observes StartupEvent event) {
        config.devApiKey().ifPresent(key -> {
            Application demo = applications.ensureApplicationWithKey("Demo storefront", "EUR", key);
            defineDemoCatalogue(demo.id);
            config.devPublishableKey().ifPresent(publishable -> applications.ensurePublishableKey(demo.id, publishable));
            LOG.infof("%n  Demo application %d (%s, %s) is ready.%n"
                    + "  GraphiQL:    http://localhost:8080/q/graphql-ui%n"
                    + "  Shop server: {\"Authorization\": \"ApiKey-v1 %s\"}   (secret key)%n"
                    + "  Web page:    {\"Authorization\": \"ApiKey-v1 %s\"}   (publishable key)%n"
                    + "  Management:  {\"Authorization\": \"ManagementKey-v1 %s\"}%n"
                    + "  Storefront:  cd examples/storefront && npm install && node shop-server.mjs, then http://localhost:3000%n",
                    demo.id, demo.name, demo.currency, key, config.devPublishableKey().orElse("(none)"), config.managementKey());
        });
    }
}
