package dev.customersessions.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses webhooks may reach, and which URLs an endpoint may have. Plain JUnit, no DNS. */
class WebhookAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1",
            "100.127.255.254", "169.254.169.254", "169.254.0.1", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250",
            "255.255.255.255", "240.0.0.1", "198.18.0.1", "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1",
            "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.1.2.3", "64:ff9b::a00:1", "2002:a00:1::1", "::127.0.0.1",
            // IETF protocol assignments (192.0.0.0/24), local-use NAT64 (64:ff9b:1::/48, whatever it carries), Teredo
            // (2001::/32), and well-known NAT64 and 6to4 carrying private IPv4
            "192.0.0.1", "192.0.0.170", "192.0.0.255", "64:ff9b:1::808:808", "64:ff9b:1:ffff::1", "2001::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2", "64:ff9b::c0a8:101", "64:ff9b::7f00:1", "2002:c0a8:101::1", "2002:7f00:1::1",
            "2002:a9fe:a9fe::1"})
    void refused(String address) throws Exception {
        assertNotNull(WebhookAddresses.refusal(InetAddress.getByName(address)), address + " is refused");
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "203.0.113.7", "100.63.255.255", "100.128.0.1", "172.32.0.1", "192.169.0.1",
            "2001:4860:4860::8888", "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1",
            // next to the refused ranges: 192.0.1.0/24, the public 64:ff9b::/96 NAT64, outside Teredo
            "192.0.1.1", "64:ff9b::808:808", "2001:4860::1"})
    void allowed(String address) throws Exception {
        assertNull(WebhookAddresses.refusal(InetAddress.getByName(address)), address + " is allowed");
    }

    @Test
    void refusalNamesTheHostTheAddressAndTheSwitch() {
        WebhookAddresses.AddressRefusedException refused = assertThrows(WebhookAddresses.AddressRefusedException.class,
                () -> WebhookAddresses.resolve("169.254.169.254", false));
        assertEquals("the host 169.254.169.254 resolves to 169.254.169.254, a link-local address, which webhooks may not reach "
                + "(customer-sessions.webhooks.allow-private-addresses)", refused.getMessage());
    }

    @Test
    void theOperatorSwitchLetsPrivateAddressesThrough() throws Exception {
        assertEquals("127.0.0.1", WebhookAddresses.resolve("127.0.0.1", true).get(0).getHostAddress());
    }

    @Test
    void urls() {
        assertEquals(new WebhookAddresses.Target(true, "shop.example.com", 443, "/hooks?x=1"), parse("https://shop.example.com/hooks?x=1"));
        assertEquals(new WebhookAddresses.Target(false, "shop.example.com", 8080, "/"), parse("HTTP://shop.example.com:8080"));
        assertEquals(new WebhookAddresses.Target(true, "::1", 443, "/"), parse("https://[::1]/"));
        assertEquals("url must start with https:// or http://", problem("ftp://shop.example.com/"));
        assertEquals("url must start with https:// or http://", problem("shop.example.com/hooks"));
        assertEquals("url must not carry a user name or password: authenticate the request by its signature",
                problem("https://user:secret@shop.example.com/"));
        assertEquals("url must be at most 2000 characters long", problem("https://shop.example.com/" + "a".repeat(2000)));
        assertEquals("url must not be empty", problem(""));
        assertEquals("url must not have a fragment (#...)", problem("https://shop.example.com/#top"));
        assertNotNull(problem("https://shop example.com/"));
        assertNotNull(problem("https:///path"));
    }

    private static WebhookAddresses.Target parse(String url) {
        String[] problem = new String[1];
        WebhookAddresses.Target target = WebhookAddresses.parse(url, problem);
        assertNull(problem[0], url);
        return target;
    }

    private static String problem(String url) {
        String[] problem = new String[1];
        assertNull(WebhookAddresses.parse(url, problem), url);
        return problem[0];
    }
}
