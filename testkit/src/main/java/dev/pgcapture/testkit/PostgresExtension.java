package dev.pgcapture.testkit;

import java.sql.SQLException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a real PostgreSQL with {@code wal_level=logical}.
 *
 * <p>With {@code @ExtendWith(PostgresExtension.class)}, a test or lifecycle method may declare
 * a {@link TestPostgres} parameter (the server shared by this JVM) or a {@link TestDatabase}
 * parameter (a new, empty database of its own on it).
 */
public final class PostgresExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestPostgres.class || type == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestPostgres postgres = SharedServices.postgres(context);
        if (parameter.getParameter().getType() == TestPostgres.class) {
            return postgres;
        }
        try {
            return postgres.newDatabase();
        } catch (SQLException e) {
            throw new ParameterResolutionException("cannot create a test database: " + e.getMessage(), e);
        }
    }
}
