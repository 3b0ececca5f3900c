package dev.pgcapture.core.codec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A PostgreSQL {@code inet} or {@code cidr} value: an IPv4 or IPv6 address and its network
 * prefix length in bits (0 to 32, or 0 to 128).
 *
 * <p>An IPv6 value is always an {@link java.net.Inet6Address}, IPv4-mapped addresses such as
 * {@code ::ffff:1.2.3.4} included (Java's {@code InetAddress.getByAddress} would turn those into
 * IPv4 addresses; PostgreSQL keeps them IPv6).
 *
 * @param address the address (for {@code cidr}, the network address)
 * @param prefix the prefix length; 32 or 128 for a single host
 */
public record PgInet(InetAddress address, int prefix) {

    public PgInet {
        Objects.requireNonNull(address, "address");
        int max = maxPrefix(address);
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix length " + prefix + " is outside 0.." + max + " for " + address.getHostAddress());
        }
    }

    /** A single host: the prefix is the whole address. */
    public static PgInet host(InetAddress address) {
        return new PgInet(address, maxPrefix(address));
    }

    /** Whether this is an IPv4 value. */
    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    private static int maxPrefix(InetAddress address) {
        return address instanceof Inet4Address ? 32 : 128;
    }
}
