package io.dap.portal.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** The PostgreSQL server PORTAL_TEST_POSTGRESQL_URL points at, where the role `portal` creates databases. */
public final class TestPostgresql {

    public static final String USER = "portal";

    private TestPostgresql() {
    }

    /** The server's URL with the database name replaced, parameters kept. */
    public static String databaseUrl(String serverUrl, String name) {
        int slash = serverUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = serverUrl.indexOf('?', slash);
        return serverUrl.substring(0, slash + 1) + name + (query < 0 ? "" : serverUrl.substring(query));
    }

    /** One statement on the server's own database (create, drop or alter a database). */
    public static void onServer(String serverUrl, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(serverUrl, USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
