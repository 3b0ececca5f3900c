package dev.pgcapture.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresUrlTest {

    @Test
    void libpqUri_becomesJdbcUrlAndProperties() {
        PostgresUrl url = PostgresUrl.parse("postgres://alice:s3cr%40t@db.example:6543/orders?sslmode=require&application_name=capture");
        assertEquals("jdbc:postgresql://db.example:6543/orders", url.jdbcUrl());
        Properties props = url.properties();
        assertEquals("alice", props.getProperty("user"));
        assertEquals("s3cr@t", props.getProperty("password"));
        assertEquals("require", props.getProperty("sslmode"));
        assertEquals("capture", props.getProperty("ApplicationName"));
        assertEquals("alice", url.user());
    }

    @Test
    void libpqUri_defaults_likeLibpq() {
        PostgresUrl url = PostgresUrl.parse("postgresql://bob@/");
        assertEquals("jdbc:postgresql://localhost:5432/bob", url.jdbcUrl(), "database defaults to the user name");
        assertEquals("jdbc:postgresql://localhost:5432/postgres", PostgresUrl.parse("postgresql://").jdbcUrl());
    }

    @Test
    void libpqUri_multipleHostsAndIpv6() {
        assertEquals("jdbc:postgresql://h1:5432,[::1]:5433/db?".replace("?", ""),
                PostgresUrl.parse("postgres://u@h1,[::1]:5433/db").jdbcUrl());
        assertEquals("primary", PostgresUrl.parse("postgres://u@h1,h2/db?target_session_attrs=read-write")
                .properties().getProperty("targetServerType"));
    }

    @Test
    void libpqUri_databaseWithSpecialCharacters_isEscapedInTheJdbcUrl() {
        assertEquals("jdbc:postgresql://h:5432/my%20db%2Fx", PostgresUrl.parse("postgres://h/my%20db%2Fx").jdbcUrl());
    }

    @Test
    void jdbcUrl_keepsItsParameters_butMovesCredentialsOut() {
        PostgresUrl url = PostgresUrl.parse("jdbc:postgresql://h:5432/db?user=u&password=p%26q&sslmode=disable");
        assertEquals("jdbc:postgresql://h:5432/db?sslmode=disable", url.jdbcUrl());
        assertEquals("u", url.properties().getProperty("user"));
        assertEquals("p&q", url.properties().getProperty("password"));
    }

    @Test
    void replicationProperties_askForALogicalReplicationConnection() {
        Properties props = PostgresUrl.parse("postgres://u:p@h/db").replicationProperties();
        assertEquals("database", props.getProperty("replication"));
        assertEquals("simple", props.getProperty("preferQueryMode"));
        assertEquals("p", props.getProperty("password"));
    }

    @Test
    void properties_isACopy() {
        PostgresUrl url = PostgresUrl.parse("postgres://u:p@h/db");
        url.properties().setProperty("user", "mallory");
        assertEquals("u", url.user());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "postgres://u:hunter2@h/db",
        "postgresql://u:hunter2@h:5432/db?sslmode=require",
        "jdbc:postgresql://h/db?user=u&password=hunter2",
        "jdbc:postgresql://h/db?password=hunter2&user=u"})
    void toStringAndJdbcUrl_neverShowThePassword(String text) {
        PostgresUrl url = PostgresUrl.parse(text);
        assertFalse(url.toString().contains("hunter2"), url.toString());
        assertFalse(url.jdbcUrl().contains("hunter2"), url.jdbcUrl());
        assertTrue(url.toString().contains("***"), url.toString());
    }

    @Test
    void errors_nameTheProblem_withoutThePassword() {
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class, () -> PostgresUrl.parse("mysql://u:hunter2@h/db"));
        assertTrue(scheme.getMessage().contains("postgres://"), scheme.getMessage());
        assertFalse(scheme.getMessage().contains("hunter2"), scheme.getMessage());

        IllegalArgumentException port = assertThrows(IllegalArgumentException.class, () -> PostgresUrl.parse("postgres://u:hunter2@h:99999/db"));
        assertTrue(port.getMessage().contains("99999"), port.getMessage());
        assertFalse(port.getMessage().contains("hunter2"), port.getMessage());

        IllegalArgumentException parameter = assertThrows(IllegalArgumentException.class, () -> PostgresUrl.parse("postgres://h/db?sslmod=require"));
        assertTrue(parameter.getMessage().contains("sslmod"), parameter.getMessage());

        IllegalArgumentException attrs = assertThrows(IllegalArgumentException.class, () -> PostgresUrl.parse("postgres://h/db?target_session_attrs=fastest"));
        assertTrue(attrs.getMessage().contains("fastest"), attrs.getMessage());
    }
}
