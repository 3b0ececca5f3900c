package dev.pgcapture.core.codec;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * {@code inet}, {@code cidr}, {@code macaddr} and {@code macaddr8}. Addresses print as
 * PostgreSQL prints them: IPv6 with the longest run of two or more zero groups as {@code ::}
 * (the first such run on a tie) and an IPv4 tail for IPv4-compatible ({@code ::1.2.3.4}) and
 * IPv4-mapped ({@code ::ffff:1.2.3.4}) addresses; {@code inet} shows the prefix only when it is
 * not the whole address, {@code cidr} always. MAC addresses decode to their text form
 * ({@code 08:00:2b:01:02:03}).
 */
final class NetworkCodecs {

    private static final int FAMILY_INET = 2;
    private static final int FAMILY_INET6 = 3;

    private NetworkCodecs() {
    }

    static List<Codec<?>> all() {
        return List.of(
                new Codec<>(869, "inet", PgInet.class, in -> inet(in, false), value -> text(value, false)),
                new Codec<>(650, "cidr", PgInet.class, in -> inet(in, true), value -> text(value, true)),
                Codec.fixed(829, "macaddr", String.class, 6, NetworkCodecs::mac, NetworkCodecs::checkMac6),
                Codec.fixed(774, "macaddr8", String.class, 8, NetworkCodecs::mac, NetworkCodecs::checkMac8));
    }

    /** {@code inet_send}: family, prefix bits, is-cidr flag, address length, address. */
    private static PgInet inet(ByteBuffer in, boolean cidr) {
        int family = in.get();
        int bits = in.get() & 0xFF;
        int isCidr = in.get();
        int length = in.get();
        int expected = switch (family) {
            case FAMILY_INET -> 4;
            case FAMILY_INET6 -> 16;
            default -> throw new Codec.BadValue("address family " + family + " is neither IPv4 (2) nor IPv6 (3)");
        };
        if (length != expected || in.remaining() != expected) {
            throw new Codec.BadValue("address length " + length + " with " + in.remaining() + " bytes of address, expected "
                    + expected);
        }
        if (isCidr != (cidr ? 1 : 0)) {
            throw new Codec.BadValue("is-cidr flag " + isCidr + " in a " + (cidr ? "cidr" : "inet") + " value");
        }
        if (bits > expected * 8) {
            throw new Codec.BadValue("prefix length " + bits + " exceeds " + expected * 8 + " bits");
        }
        byte[] address = Bytes.rest(in);
        try {
            InetAddress ip = family == FAMILY_INET ? InetAddress.getByAddress(address) : Inet6Address.getByAddress(null, address, -1);
            return new PgInet(ip, bits);
        } catch (UnknownHostException e) {
            throw new Codec.BadValue("address of " + address.length + " bytes: " + e.getMessage(), e);
        }
    }

    static String text(PgInet value, boolean cidr) {
        byte[] address = value.address().getAddress();
        boolean ipv4 = value.address() instanceof Inet4Address;
        String text = ipv4 ? ipv4(address, 0) : ipv6(address);
        int full = ipv4 ? 32 : 128;
        return cidr || value.prefix() != full ? text + "/" + value.prefix() : text;
    }

    private static String ipv4(byte[] address, int offset) {
        return (address[offset] & 0xFF) + "." + (address[offset + 1] & 0xFF) + "." + (address[offset + 2] & 0xFF) + "."
                + (address[offset + 3] & 0xFF);
    }

    private static String ipv6(byte[] address) {
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = (address[2 * i] & 0xFF) << 8 | address[2 * i + 1] & 0xFF;
        }
        int bestBase = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && words[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestBase = start;
                bestLength = i - start;
            }
        }
        if (bestLength < 2) {
            bestBase = -1;
        }
        StringBuilder out = new StringBuilder(46);
        for (int i = 0; i < 8; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLength) {
                if (i == bestBase) {
                    out.append(':');
                }
                continue;
            }
            if (i != 0) {
                out.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLength == 6 || bestLength == 5 && words[5] == 0xFFFF)) {
                out.append(ipv4(address, 12));
                return out.toString();
            }
            out.append(Integer.toHexString(words[i]));
        }
        if (bestBase >= 0 && bestBase + bestLength == 8) {
            out.append(':');
        }
        return out.toString();
    }

    private static String mac(ByteBuffer in) {
        StringBuilder out = new StringBuilder(23);
        while (in.hasRemaining()) {
            if (out.length() > 0) {
                out.append(':');
            }
            out.append(Character.forDigit(in.get(in.position()) >> 4 & 0xF, 16)).append(Character.forDigit(in.get() & 0xF, 16));
        }
        return out.toString();
    }

    private static String checkMac6(String mac) {
        return checkMac(mac, 6);
    }

    private static String checkMac8(String mac) {
        return checkMac(mac, 8);
    }

    private static String checkMac(String mac, int bytes) {
        if (!mac.matches("[0-9a-f]{2}(:[0-9a-f]{2}){" + (bytes - 1) + "}")) {
            throw new IllegalArgumentException("MAC address \"" + mac + "\" is not " + bytes
                    + " lower-case hex bytes separated by ':'");
        }
        return mac;
    }
}
