package io.dap.portal.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.dap.portal.support.TestPostgresql;

/**
 * A fresh PostgreSQL database for one cluster, on the server PORTAL_TEST_POSTGRESQL_URL points at
 * (the role `portal` creates it), read and written with plain JDBC from the test.
 */
final class ClusterDatabase {

    static final String USER = TestPostgresql.USER;
    private static final String SERVER_VARIABLE = "PORTAL_TEST_POSTGRESQL_URL";

    private final String serverUrl;
    private final String name;

    private ClusterDatabase(String serverUrl, String name) {
        this.serverUrl = serverUrl;
        this.name = name;
    }

    /** The JDBC URL of a database on the test server, when one is configured. */
    static Optional<String> serverUrl() {
        String url = System.getenv(SERVER_VARIABLE);
        return url == null || url.isBlank() ? Optional.empty() : Optional.of(url.strip());
    }

    static String serverVariable() {
        return SERVER_VARIABLE;
    }

    static ClusterDatabase createFresh(String serverUrl) throws SQLException {
        String name = "portal_cluster_" + System.currentTimeMillis();
        TestPostgresql.onServer(serverUrl, "create database " + name);
        return new ClusterDatabase(serverUrl, name);
    }

    /** The URL of this database: the server's URL with the database name replaced, parameters kept. */
    String url() {
        return TestPostgresql.databaseUrl(serverUrl, name);
    }

    void drop() throws SQLException {
        onServer("drop database if exists " + name + " with (force)");
    }

    /** Takes the database away from every instance: new connections are refused, open ones are ended. */
    void refuseConnections() throws SQLException {
        onServer("alter database " + name + " allow_connections false");
        onServer("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + name + "'");
    }

    void allowConnections() throws SQLException {
        onServer("alter database " + name + " allow_connections true");
    }

    private void onServer(String sql) throws SQLException {
        TestPostgresql.onServer(serverUrl, sql);
    }

    long count(String sql, Object... parameters) {
        List<List<Object>> rows = rows(sql, parameters);
        return ((Number) rows.get(0).get(0)).longValue();
    }

    List<List<Object>> rows(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet result = statement.executeQuery()) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(result.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** One row's first column of an insert … returning, or of a query. */
    long id(String sql, Object... parameters) {
        return ((Number) rows(sql, parameters).get(0).get(0)).longValue();
    }

    int update(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
