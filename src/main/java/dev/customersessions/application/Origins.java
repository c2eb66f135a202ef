package dev.customersessions.application;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** Browser origins ({@code scheme://host[:port]}) in one form: lower case, without the scheme's default port. */
public final class Origins {

    private Origins() {
    }

    /** The origin in its normal form; empty when it is not an http(s) origin (such as the {@code null} origin). */
    public static Optional<String> normalized(String origin) {
        if (origin == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                    || uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
                return Optional.empty();
            }
            int port = uri.getPort() == defaultPort(scheme) ? -1 : uri.getPort();
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (port < 0 ? "" : ":" + port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** Whether the origin names the same host and port as the request's authority (its Host). */
    public static boolean sameAuthority(String normalizedOrigin, String host, int port) {
        URI uri = URI.create(normalizedOrigin);
        int originPort = uri.getPort() < 0 ? defaultPort(uri.getScheme()) : uri.getPort();
        int requestPort = port < 0 ? defaultPort(uri.getScheme()) : port;
        return uri.getHost().equalsIgnoreCase(host) && originPort == requestPort;
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme) ? 443 : 80;
    }
}
