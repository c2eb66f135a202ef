package dev.customersessions.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where webhooks may go: the form of an endpoint's URL, and the addresses a delivery may connect to. Unless an operator
 * allows them ({@code customer-sessions.webhooks.allow-private-addresses}), loopback, private (RFC 1918, unique-local
 * fc00::/7, carrier-grade NAT 100.64.0.0/10), link-local (169.254.0.0/16 with the cloud metadata address, fe80::/10),
 * unspecified, multicast and reserved addresses (the IETF's 192.0.0.0/24 among them) are refused, also when an IPv6
 * address carries one of IPv4 (mapped, compatible, NAT64 64:ff9b::/96, 6to4 2002::/16). Local-use NAT64
 * (64:ff9b:1::/48) and Teredo (2001::/32) are refused whole: the first translates into whatever network the operator
 * chose, the second tunnels to an address it hides: whoever may register an endpoint must not reach the service's own
 * network through it.
 */
public final class WebhookAddresses {

    /** The longest URL of an endpoint. */
    public static final int MAX_URL_LENGTH = 2000;

    private WebhookAddresses() {
    }

    /** An endpoint's URL taken apart: where a delivery connects and what it asks for there. */
    public record Target(boolean https, String host, int port, String pathAndQuery) {
    }

    /**
     * The target of a URL, or null when it is not one an endpoint may have; {@code problem} then holds why (its first
     * element is set).
     */
    public static Target parse(String url, String[] problem) {
        if (url == null || url.isEmpty()) {
            problem[0] = "url must not be empty";
            return null;
        }
        if (url.length() > MAX_URL_LENGTH) {
            problem[0] = "url must be at most " + MAX_URL_LENGTH + " characters long";
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            problem[0] = "url is not a URL: " + e.getReason();
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            problem[0] = "url must start with https:// or http://";
            return null;
        }
        if (uri.getRawUserInfo() != null) {
            problem[0] = "url must not carry a user name or password: authenticate the request by its signature";
            return null;
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            problem[0] = "url must name a host (letters, digits, dots and dashes, or an IP address)";
            return null;
        }
        if (uri.getRawFragment() != null) {
            problem[0] = "url must not have a fragment (#...)";
            return null;
        }
        boolean https = scheme.equals("https");
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        if (port < 1 || port > 65535) {
            problem[0] = "url's port must be 1 to 65535";
            return null;
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new Target(https, host, port, uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
    }

    /**
     * The addresses of the host, every one of them allowed; the one to connect to is the first. Refused with the reason
     * when any of them is not allowed (a name that resolves to a public and a private address is refused).
     *
     * @throws UnknownHostException when the host has no address
     */
    public static List<InetAddress> resolve(String host, boolean allowPrivate) throws UnknownHostException, AddressRefusedException {
        List<InetAddress> addresses = List.of(InetAddress.getAllByName(host));
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                String refusal = refusal(address);
                if (refusal != null) {
                    throw new AddressRefusedException(host, address, refusal);
                }
            }
        }
        return addresses;
    }

    /** Why a delivery may not go to the address (its kind), or null when it may. */
    public static String refusal(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4Refusal(bytes);
        }
        if (address instanceof Inet6Address) {
            if ((bytes[0] & 0xfe) == 0xfc) {
                return "private (unique-local)";
            }
            if (startsWith(bytes, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01)) {
                return "private (local-use NAT64)";
            }
            if (startsWith(bytes, 0x20, 0x01, 0x00, 0x00)) {
                return "reserved (Teredo tunnel)";
            }
            byte[] embedded = embeddedIpv4(bytes);
            if (embedded != null) {
                try {
                    String refusal = refusal(InetAddress.getByAddress(embedded));
                    return refusal == null ? null : refusal + " (IPv4 in IPv6)";
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e); // four bytes are always an address
                }
            }
        }
        return null;
    }

    private static String ipv4Refusal(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0) {
            return "unspecified (0.0.0.0/8)";
        }
        if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
            return "reserved (IETF protocol assignments, 192.0.0.0/24)";
        }
        if (first == 100 && (second & 0xc0) == 64) {
            return "private (carrier-grade NAT)";
        }
        if (first == 198 && (second & 0xfe) == 18) {
            return "reserved (benchmarking)";
        }
        if (first >= 240) {
            return "reserved";
        }
        return null;
    }

    /** The IPv4 address an IPv6 address carries (IPv4-compatible, IPv4-mapped, NAT64 64:ff9b::/96, 6to4 2002::/16), or null. */
    private static byte[] embeddedIpv4(byte[] b) {
        boolean zeros = true;
        for (int i = 0; i < 10; i++) {
            zeros &= b[i] == 0;
        }
        boolean compatibleOrMapped = zeros && (b[10] == 0 && b[11] == 0 || b[10] == (byte) 0xff && b[11] == (byte) 0xff);
        boolean nat64 = startsWith(b, 0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0);
        if (compatibleOrMapped || nat64) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return new byte[] {b[2], b[3], b[4], b[5]};
        }
        return null;
    }

    private static boolean startsWith(byte[] address, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((address[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** A host that resolves to an address deliveries may not reach. */
    public static final class AddressRefusedException extends Exception {

        public AddressRefusedException(String host, InetAddress address, String kind) {
            super("the host " + host + " resolves to " + address.getHostAddress() + ", a " + kind + " address, which webhooks may "
                    + "not reach (customer-sessions.webhooks.allow-private-addresses)", null, false, false);
        }
    }
}
