package dev.customersessions.application;

/** What a session update of one application is checked and stored by: its definitions and its cart item flattening. */
public record ApplicationSettings(boolean cartItemFlattening, Definitions definitions) {
}
