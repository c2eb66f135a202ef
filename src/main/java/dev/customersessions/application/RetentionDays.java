package dev.customersessions.application;

/**
 * A retention as a management request sets it: whole days, or null for "kept forever". A request that leaves the field
 * out passes no RetentionDays at all (null), so that "leave as it is" and "keep forever" stay apart.
 */
public record RetentionDays(Integer days) {
}
