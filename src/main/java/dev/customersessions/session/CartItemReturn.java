package dev.customersessions.session;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import org.hibernate.annotations.Fetch;
import org.hibernate.annotations.FetchMode;

/** One return of cart items from a closed session: which positions, how many units of each, when. Never changes. */
@Entity
@Table(name = "cart_item_return")
public class CartItemReturn {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The session's id; written through {@link CustomerSession#returns}. */
    @Column(name = "session_id", insertable = false, updatable = false)
    public Long sessionId;

    @Column(nullable = false, updatable = false)
    public OffsetDateTime created;

    /** Loaded for all returns of one query at once. */
    @ElementCollection
    @CollectionTable(name = "cart_item_return_line", joinColumns = @JoinColumn(name = "return_id"))
    @OrderBy("position")
    @Fetch(FetchMode.SUBSELECT)
    public List<Line> lines = new ArrayList<>();

    /** Units returned of the cart item at one position. */
    @Embeddable
    public static class Line {
        @Column(nullable = false)
        public int position;

        @Column(nullable = false)
        public int quantity;

        protected Line() {
        }

        public Line(int position, int quantity) {
            this.position = position;
            this.quantity = quantity;
        }
    }
}
