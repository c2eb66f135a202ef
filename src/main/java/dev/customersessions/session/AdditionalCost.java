package dev.customersessions.session;

import java.math.BigDecimal;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** A named cost, such as shipping: of a whole session, or of one unit of a cart item. */
@Embeddable
public class AdditionalCost {

    @Column(nullable = false, length = 100)
    public String name;

    @Column(nullable = false, precision = 20, scale = 6)
    public BigDecimal price;

    protected AdditionalCost() {
    }

    public AdditionalCost(String name, BigDecimal price) {
        this.name = name;
        this.price = price;
    }
}
