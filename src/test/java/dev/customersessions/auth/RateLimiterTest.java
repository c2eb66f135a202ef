package dev.customersessions.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The client address a bucket is kept for: one IPv4 address, or one IPv6 /64 (what one client commonly holds). */
class RateLimiterTest {

    @Test
    void anIpv6ClientIsOneBucketForItsWholeSlash64() {
        assertEquals(RateLimiter.network("2001:db8:1:2::1"), RateLimiter.network("2001:db8:1:2:ffff:ffff:ffff:fffe"));
        assertEquals(RateLimiter.network("2001:db8:1:2::1"), RateLimiter.network("2001:0db8:0001:0002:0000:0000:0000:0009"));
        assertNotEquals(RateLimiter.network("2001:db8:1:2::1"), RateLimiter.network("2001:db8:1:3::1"));
    }

    @Test
    void anIpv4ClientIsItsAddress() {
        assertEquals("203.0.113.7", RateLimiter.network("203.0.113.7"));
        assertNotEquals(RateLimiter.network("203.0.113.7"), RateLimiter.network("203.0.113.8"));
    }
}
