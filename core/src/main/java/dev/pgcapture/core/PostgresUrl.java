package dev.pgcapture.core;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where a PostgreSQL database is and how to log in, from the URL a user gives.
 *
 * <p>Accepts libpq's URI form, the one psql uses ({@code postgres://user:pass@host:port/db?sslmode=require},
 * also {@code postgresql://}, several {@code host:port} pairs, {@code [::1]}), and pgjdbc's
 * {@code jdbc:postgresql:} form. The credentials are kept apart from the URL: {@link #jdbcUrl()}
 * never contains a password and {@link #toString()} masks it, so either can be logged.
 */
public final class PostgresUrl {

    /** libpq query parameters and the pgjdbc connection properties they become. */
    private static final Map<String, String> LIBPQ_TO_PGJDBC = Map.ofEntries(
            Map.entry("sslmode", "sslmode"),
            Map.entry("sslrootcert", "sslrootcert"),
            Map.entry("sslcert", "sslcert"),
            Map.entry("sslkey", "sslkey"),
            Map.entry("sslpassword", "sslpassword"),
            Map.entry("application_name", "ApplicationName"),
            Map.entry("connect_timeout", "connectTimeout"),
            Map.entry("options", "options"),
            Map.entry("target_session_attrs", "targetServerType"),
            Map.entry("user", "user"),
            Map.entry("password", "password"),
            Map.entry("dbname", "dbname"));

    private static final int DEFAULT_PORT = 5432;

    private final String jdbcUrl;
    private final Properties properties;
    private final String display;

    private PostgresUrl(String jdbcUrl, Properties properties, String display) {
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
        this.display = display;
    }

    /**
     * Parses a libpq URI or a {@code jdbc:postgresql:} URL.
     *
     * @throws IllegalArgumentException naming what is wrong; the message never contains the password
     */
    public static PostgresUrl parse(String url) {
        Objects.requireNonNull(url, "PostgreSQL URL");
        if (url.startsWith("jdbc:postgresql:")) {
            return fromJdbc(url);
        }
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            return fromLibpq(url);
        }
        throw new IllegalArgumentException("invalid PostgreSQL URL \"" + mask(url)
                + "\": expected postgres://user:password@host:port/database, postgresql://… or jdbc:postgresql://…");
    }

    private static PostgresUrl fromLibpq(String url) {
        String rest = url.substring(url.indexOf("://") + 3);
        String query = "";
        int question = rest.indexOf('?');
        if (question >= 0) {
            query = rest.substring(question + 1);
            rest = rest.substring(0, question);
        }
        String database = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            database = decode(rest.substring(slash + 1), url);
            rest = rest.substring(0, slash);
        }
        Properties properties = new Properties();
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            String user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo, url);
            if (!user.isEmpty()) {
                properties.setProperty("user", user);
            }
            if (colon >= 0) {
                properties.setProperty("password", decode(userInfo.substring(colon + 1), url));
            }
        }
        String hosts = hostList(rest.isEmpty() ? "localhost" : rest, url);
        for (Map.Entry<String, String> parameter : queryParameters(query, url).entrySet()) {
            String property = LIBPQ_TO_PGJDBC.get(parameter.getKey());
            if (property == null) {
                throw new IllegalArgumentException("invalid PostgreSQL URL \"" + mask(url) + "\": parameter \""
                        + parameter.getKey() + "\" is not supported; supported: " + String.join(", ", LIBPQ_TO_PGJDBC.keySet().stream().sorted().toList()));
            }
            String value = parameter.getValue();
            if (property.equals("targetServerType")) {
                value = targetServerType(value, url);
            }
            if (property.equals("dbname")) {
                database = value;
            } else {
                properties.setProperty(property, value);
            }
        }
        if (database.isEmpty()) {
            database = properties.getProperty("user", "postgres"); // libpq's default: the user name
        }
        String jdbcUrl = "jdbc:postgresql://" + hosts + "/" + encode(database);
        return new PostgresUrl(jdbcUrl, properties, mask(url));
    }

    private static PostgresUrl fromJdbc(String url) {
        Properties properties = new Properties();
        StringBuilder kept = new StringBuilder();
        int question = url.indexOf('?');
        String base = question >= 0 ? url.substring(0, question) : url;
        if (question >= 0) {
            for (Map.Entry<String, String> parameter : queryParameters(url.substring(question + 1), url).entrySet()) {
                if (parameter.getKey().equals("user") || parameter.getKey().equals("password")) {
                    properties.setProperty(parameter.getKey(), parameter.getValue());
                } else {
                    kept.append(kept.isEmpty() ? '?' : '&').append(parameter.getKey()).append('=')
                            .append(encode(parameter.getValue()));
                }
            }
        }
        return new PostgresUrl(base + kept, properties, mask(url));
    }

    private static String hostList(String hosts, String url) {
        StringBuilder out = new StringBuilder();
        for (String hostPort : hosts.split(",")) {
            String host;
            String port;
            if (hostPort.startsWith("[")) {
                int close = hostPort.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("invalid PostgreSQL URL \"" + mask(url) + "\": unclosed '[' in host \"" + hostPort + "\"");
                }
                host = hostPort.substring(0, close + 1);
                String after = hostPort.substring(close + 1);
                port = after.startsWith(":") ? after.substring(1) : "";
            } else {
                int colon = hostPort.lastIndexOf(':');
                host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
                port = colon >= 0 ? hostPort.substring(colon + 1) : "";
            }
            if (host.isEmpty()) {
                host = "localhost";
            }
            int portNumber = DEFAULT_PORT;
            if (!port.isEmpty()) {
                try {
                    portNumber = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    portNumber = -1;
                }
                if (portNumber < 1 || portNumber > 65535) {
                    throw new IllegalArgumentException("invalid PostgreSQL URL \"" + mask(url) + "\": port \"" + port + "\" is not a number in 1..65535");
                }
            }
            out.append(out.isEmpty() ? "" : ",").append(host).append(':').append(portNumber);
        }
        return out.toString();
    }

    private static String targetServerType(String libpqValue, String url) {
        return switch (libpqValue) {
            case "any" -> "any";
            case "read-write", "primary" -> "primary";
            case "read-only", "standby" -> "secondary";
            case "prefer-standby" -> "preferSecondary";
            default -> throw new IllegalArgumentException("invalid PostgreSQL URL \"" + mask(url)
                    + "\": target_session_attrs=" + libpqValue + " is not one of any, read-write, primary, read-only, standby, prefer-standby");
        };
    }

    private static Map<String, String> queryParameters(String query, String url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("invalid PostgreSQL URL \"" + mask(url) + "\": query parameter \""
                        + (pair.startsWith("password") ? "password" : pair) + "\" is not name=value");
            }
            parameters.put(decode(pair.substring(0, equals), url), decode(pair.substring(equals + 1), url));
        }
        return parameters;
    }

    private static String decode(String text, String url) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid PostgreSQL URL \"" + mask(url) + "\": bad %-escape", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * {@code url} with any password replaced by {@code ***} (in {@code scheme://user:password@…}
     * and in a {@code password=} parameter), for messages, logs and help; text that is no URL
     * comes back unchanged.
     */
    public static String mask(String url) {
        String masked = url.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
        int scheme = masked.indexOf("://");
        int at = masked.lastIndexOf('@', masked.indexOf('/', scheme + 3) < 0 ? masked.length() : masked.indexOf('/', scheme + 3));
        if (scheme >= 0 && at > scheme) {
            String userInfo = masked.substring(scheme + 3, at);
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                masked = masked.substring(0, scheme + 3) + userInfo.substring(0, colon) + ":***" + masked.substring(at);
            }
        }
        return masked;
    }

    /** The JDBC URL, without user or password. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The connection properties, credentials included: a copy the caller may change. */
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /**
     * The connection properties of a logical replication connection to the same database
     * ({@code replication=database}, simple query protocol, as pgjdbc's replication API needs).
     */
    public Properties replicationProperties() {
        Properties replication = properties();
        replication.setProperty("replication", "database");
        replication.setProperty("assumeMinServerVersion", "14");
        replication.setProperty("preferQueryMode", "simple");
        return replication;
    }

    /** A new ordinary connection to the database; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, properties());
    }

    /** A new logical replication connection to the database ({@link #replicationProperties}); the caller closes it. */
    public Connection connectReplication() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, replicationProperties());
    }

    /** The user name, if the URL gives one. */
    public String user() {
        return properties.getProperty("user", "");
    }

    /** The URL as given, with the password masked. */
    @Override
    public String toString() {
        return display;
    }
}
