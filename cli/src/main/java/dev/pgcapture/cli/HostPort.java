package dev.pgcapture.cli;

import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code HOST:PORT} option value: {@code 0.0.0.0:10000}, {@code db.example:10000}, {@code [::1]:10000}. */
record HostPort(String host, int port) {

    private static final Pattern FORM = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^:\\s\\[\\]]*):(\\d{1,5})");

    /**
     * Parses {@code value}; an empty host is {@code emptyHost}.
     *
     * @throws IllegalArgumentException naming the option, the value and the expected form
     */
    static HostPort parse(String option, String value, String emptyHost) {
        Matcher m = FORM.matcher(value == null ? "" : value.strip());
        int port = m.matches() ? Integer.parseInt(m.group(2)) : -1;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(option + ": \"" + value + "\" is not HOST:PORT with a port from 1 to 65535 "
                    + "(e.g. 127.0.0.1:10000 or [::1]:10000)");
        }
        String host = m.group(1).isEmpty() ? emptyHost : m.group(1).replaceAll("^\\[|]$", "");
        return new HostPort(host, port);
    }

    /** The address to listen on. */
    InetSocketAddress bindAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
