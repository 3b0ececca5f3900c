package dev.pgcapture.testkit;

/**
 * How to reach a PostgreSQL server as its superuser.
 *
 * @param password empty when the server trusts loopback connections
 */
public record PostgresEndpoint(String host, int port, String user, String password) {

    /** A JDBC URL for {@code database}, with the credentials in its parameters. */
    public String jdbcUrl(String database) {
        StringBuilder url = new StringBuilder("jdbc:postgresql://")
                .append(host).append(':').append(port).append('/').append(database)
                .append("?user=").append(user);
        if (!password.isEmpty()) {
            url.append("&password=").append(java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8));
        }
        return url.toString();
    }
}
