package dev.customersessions.session;

/**
 * One line of a return as a client asks for it: the cart item's position, and how many units (null: all that remain).
 */
public record ReturnRequest(int position, Integer quantity) {
}
