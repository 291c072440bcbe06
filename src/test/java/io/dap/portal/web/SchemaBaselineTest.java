package io.dap.portal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import io.dap.portal.support.MigrationScripts;
import io.dap.portal.support.TestPostgresql;

/**
 * An empty database gets its schema from the baseline script (B…) in one step; an existing one was
 * built, and keeps being upgraded, by the versioned scripts (V…). Both roads must end at the same
 * schema. This builds one fresh database each way and compares what they hold: tables, columns,
 * keys, constraints, indexes and rows. Column order and the names a database makes up for unnamed
 * constraints are left out; a name counts when it appears in a migration script.
 */
class SchemaBaselineTest {

    private static final String LOCATION = "db/migration";
    private static final String SERVER_VARIABLE = "PORTAL_TEST_POSTGRESQL_URL";
    private static final String HISTORY_TABLE = "flyway_schema_history";

    @Test
    void onH2TheBaselineBuildsTheSchemaOfTheVersionedScripts() throws Exception {
        String run = Long.toString(System.nanoTime());
        String versioned = "jdbc:h2:mem:schema-versioned-" + run + ";DB_CLOSE_DELAY=-1";
        String baseline = "jdbc:h2:mem:schema-baseline-" + run + ";DB_CLOSE_DELAY=-1";
        try {
            bothRoadsEndAtTheSameSchema("H2", versioned, baseline, "sa");
        } finally {
            shutDownH2(versioned);
            shutDownH2(baseline);
        }
    }

    @Test
    @EnabledIfEnvironmentVariable(named = SERVER_VARIABLE, matches = ".*\\S.*")
    void onPostgresqlTheBaselineBuildsTheSchemaOfTheVersionedScripts() throws Exception {
        String server = System.getenv(SERVER_VARIABLE).strip();
        String run = Long.toString(System.currentTimeMillis());
        String versioned = "portal_schema_versioned_" + run;
        String baseline = "portal_schema_baseline_" + run;
        TestPostgresql.onServer(server, "create database " + versioned);
        try {
            TestPostgresql.onServer(server, "create database " + baseline);
            bothRoadsEndAtTheSameSchema("PostgreSQL", TestPostgresql.databaseUrl(server, versioned),
                    TestPostgresql.databaseUrl(server, baseline), TestPostgresql.USER);
        } finally {
            TestPostgresql.onServer(server, "drop database if exists " + versioned + " with (force)");
            TestPostgresql.onServer(server, "drop database if exists " + baseline + " with (force)");
        }
    }

    private static void bothRoadsEndAtTheSameSchema(String database, String versionedUrl, String baselineUrl,
            String user) throws Exception {
        MigrationScripts scripts = MigrationScripts.in(Path.of(
                SchemaBaselineTest.class.getClassLoader().getResource(LOCATION).toURI()));
        assertTrue(scripts.baseline() != null, "no baseline script (B…) in " + LOCATION);

        // The versioned road: what every database created before the baseline went through.
        Flyway versionedOnly = flyway(versionedUrl, user, true);
        MigrateResult versionedRun = versionedOnly.migrate();
        assertEquals(scripts.versioned().size(), versionedRun.migrationsExecuted,
                "the versioned road applies every V script");
        assertEquals(scripts.versioned(), versions(versionedOnly.info().applied()));
        assertTrue(Stream.of(versionedOnly.info().applied()).noneMatch(m -> m.getType().isBaseline()),
                "the versioned road applied the baseline: " + types(versionedOnly.info().applied()));

        // The default road of an empty database: the baseline, then any V script above it.
        Flyway byDefault = flyway(baselineUrl, user, false);
        MigrateResult baselineRun = byDefault.migrate();
        List<MigrationVersion> expected = scripts.onAnEmptyDatabase();
        MigrationInfo[] applied = byDefault.info().applied();
        assertEquals(expected, versions(applied), "an empty database gets the baseline and the V scripts above it");
        assertEquals(expected.size(), baselineRun.migrationsExecuted);
        assertTrue(applied[0].getType().isBaseline(), "recorded as " + applied[0].getType());
        assertEquals("SQL_BASELINE", applied[0].getType().name());
        assertTrue(Stream.of(applied).skip(1).noneMatch(m -> m.getType().isBaseline()), types(applied));
        assertEquals(0, byDefault.migrate().migrationsExecuted, "a second migrate after the baseline did something");
        assertEquals(0, byDefault.info().pending().length, "pending after the baseline: " + types(byDefault.info().pending()));

        // A database the V scripts built is left alone by the baseline.
        Flyway existing = flyway(versionedUrl, user, false);
        assertTrue(existing.validateWithResult().validationSuccessful,
                "the baseline upsets validation of a database with history: " + existing.validateWithResult().errorDetails);
        assertEquals(0, existing.migrate().migrationsExecuted, "the baseline ran on a database with history");
        assertEquals(versions(versionedOnly.info().applied()), versions(existing.info().applied()));

        List<String> afterVersioned = describe(versionedUrl, user, scripts.words());
        List<String> afterBaseline = describe(baselineUrl, user, scripts.words());
        assertTrue(afterVersioned.stream().anyMatch(l -> l.startsWith("index ")),
                "the description found no index at all: " + afterVersioned);
        assertTrue(afterVersioned.stream().anyMatch(l -> l.startsWith("foreign key ")),
                "the description found no foreign key at all: " + afterVersioned);
        assertTrue(afterVersioned.stream().anyMatch(l -> l.startsWith("column app_user.email ")),
                "the description misses app_user.email: " + afterVersioned);
        String differences = differences(afterVersioned, afterBaseline);
        if (!differences.isEmpty()) {
            fail("On " + database + ", the baseline " + scripts.baselineFile() + " builds another schema than the"
                    + " V scripts (keep it equal to them):\n" + differences);
        }
    }

    private static Flyway flyway(String url, String user, boolean versionedOnly) {
        var configuration = Flyway.configure().dataSource(url, user, "").locations("classpath:" + LOCATION);
        if (versionedOnly) {
            // A prefix no file has: Flyway then sees no baseline and applies every V script.
            configuration.configuration(Map.of("flyway.baselineMigrationPrefix", "NO_BASELINE_"));
        }
        return configuration.load();
    }

    private static List<MigrationVersion> versions(MigrationInfo[] migrations) {
        return Stream.of(migrations).map(MigrationInfo::getVersion).toList();
    }

    private static String types(MigrationInfo[] migrations) {
        return Stream.of(migrations).map(m -> m.getVersion() + " " + m.getType()).collect(Collectors.joining(", "));
    }

    // The description: one line per fact, sorted, identifiers in lower case.

    private static List<String> describe(String url, String user, Set<String> scriptWords) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, "")) {
            String schema = connection.getSchema();
            DatabaseMetaData metaData = connection.getMetaData();
            Function<String, String> named = name -> name != null && scriptWords.contains(lower(name))
                    ? " named " + lower(name) : "";
            List<String> tables = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            try (ResultSet result = metaData.getTables(null, schema, "%", new String[] {"TABLE", "VIEW"})) {
                while (result.next()) {
                    String table = lower(result.getString("TABLE_NAME"));
                    if (!table.equals(HISTORY_TABLE)) {
                        tables.add(result.getString("TABLE_NAME"));
                        lines.add(lower(result.getString("TABLE_TYPE")) + " " + table);
                    }
                }
            }
            lines.addAll(columns(connection, schema));
            lines.addAll(constraints(connection, schema, named));
            for (String table : tables) {
                lines.addAll(indexes(metaData, schema, table, named));
                lines.addAll(foreignKeys(metaData, schema, table, named));
                lines.addAll(rows(connection, table));
            }
            lines.removeIf(line -> line.contains(" " + HISTORY_TABLE));
            lines.sort(Comparator.naturalOrder());
            return lines;
        }
    }

    private static List<String> columns(Connection connection, String schema) throws SQLException {
        return query(connection, "select table_name, column_name, data_type, character_maximum_length,"
                + " numeric_precision, numeric_scale, datetime_precision, is_nullable, column_default, is_identity,"
                + " identity_generation, identity_start, identity_increment"
                + " from information_schema.columns where table_schema = ?", List.of(schema), row -> "column "
                + lower(row.get(0)) + "." + lower(row.get(1)) + " " + lower(row.get(2))
                + attribute("length", row.get(3)) + attribute("precision", row.get(4)) + attribute("scale", row.get(5))
                + attribute("time precision", row.get(6)) + ("NO".equals(row.get(7)) ? " not null" : " null")
                + attribute("default", row.get(8))
                + ("YES".equals(row.get(9)) ? " identity " + row.get(10) + " from " + row.get(11) + " by " + row.get(12)
                        : ""));
    }

    /** Primary keys, unique and check constraints, with their columns in key order. */
    private static List<String> constraints(Connection connection, String schema, Function<String, String> named)
            throws SQLException {
        Map<String, List<String>> keyColumns = new LinkedHashMap<>();
        for (String line : query(connection, "select k.constraint_name, k.column_name from information_schema.key_column_usage k"
                + " where k.table_schema = ? order by k.constraint_name, k.ordinal_position", List.of(schema),
                row -> row.get(0) + "\t" + lower(row.get(1)))) {
            String[] parts = line.split("\t");
            keyColumns.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
        }
        List<String> lines = new ArrayList<>();
        for (String line : query(connection, "select c.constraint_name, c.table_name, c.constraint_type"
                + " from information_schema.table_constraints c where c.table_schema = ?"
                + " and c.constraint_type in ('PRIMARY KEY', 'UNIQUE')", List.of(schema),
                row -> row.get(0) + "\t" + lower(row.get(1)) + "\t" + lower(row.get(2)))) {
            String[] parts = line.split("\t");
            lines.add(parts[2] + " " + parts[1] + " (" + String.join(", ", keyColumns.getOrDefault(parts[0], List.of()))
                    + ")" + named.apply(parts[0]));
        }
        // PostgreSQL lists every NOT NULL as a check named …_not_null too: the columns already say it.
        lines.addAll(query(connection, "select c.constraint_name, c.table_name, k.check_clause"
                + " from information_schema.table_constraints c join information_schema.check_constraints k"
                + " on k.constraint_schema = c.constraint_schema and k.constraint_name = c.constraint_name"
                + " where c.table_schema = ? and c.constraint_type = 'CHECK'", List.of(schema),
                row -> row.get(0).endsWith("_not_null") && row.get(2).endsWith(" IS NOT NULL") ? null
                        : "check " + lower(row.get(1)) + " (" + row.get(2) + ")" + named.apply(row.get(0))));
        lines.removeIf(line -> line == null);
        return lines;
    }

    private static List<String> indexes(DatabaseMetaData metaData, String schema, String table,
            Function<String, String> named) throws SQLException {
        Map<String, Map<Integer, String>> columns = new TreeMap<>();
        Map<String, Boolean> unique = new TreeMap<>();
        try (ResultSet result = metaData.getIndexInfo(null, schema, table, false, false)) {
            while (result.next()) {
                String name = result.getString("INDEX_NAME");
                if (name == null || result.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic) {
                    continue;
                }
                String order = result.getString("ASC_OR_DESC");
                columns.computeIfAbsent(name, n -> new TreeMap<>()).put(result.getInt("ORDINAL_POSITION"),
                        lower(result.getString("COLUMN_NAME"))
                                + ("D".equals(order) ? " desc" : "A".equals(order) ? " asc" : " unordered"));
                unique.put(name, !result.getBoolean("NON_UNIQUE"));
            }
        }
        List<String> lines = new ArrayList<>();
        columns.forEach((name, list) -> lines.add("index " + lower(table) + " (" + String.join(", ", list.values()) + ")"
                + (unique.get(name) ? " unique" : "") + named.apply(name)));
        return lines;
    }

    private static List<String> foreignKeys(DatabaseMetaData metaData, String schema, String table,
            Function<String, String> named) throws SQLException {
        Map<String, List<String[]>> keys = new TreeMap<>();
        try (ResultSet result = metaData.getImportedKeys(null, schema, table)) {
            while (result.next()) {
                String name = result.getString("FK_NAME");
                keys.computeIfAbsent(name, n -> new ArrayList<>()).add(new String[] {
                        Integer.toString(result.getInt("KEY_SEQ")), lower(result.getString("FKCOLUMN_NAME")),
                        lower(result.getString("PKTABLE_NAME")), lower(result.getString("PKCOLUMN_NAME")),
                        rule(result.getShort("DELETE_RULE")), rule(result.getShort("UPDATE_RULE"))});
            }
        }
        List<String> lines = new ArrayList<>();
        keys.forEach((name, parts) -> {
            parts.sort(Comparator.comparingInt(p -> Integer.parseInt(p[0])));
            String from = parts.stream().map(p -> p[1]).collect(Collectors.joining(", "));
            String to = parts.stream().map(p -> p[3]).collect(Collectors.joining(", "));
            String[] first = parts.get(0);
            lines.add("foreign key " + lower(table) + " (" + from + ") references " + first[2] + " (" + to + ")"
                    + " on delete " + first[4] + " on update " + first[5] + named.apply(name));
        });
        return lines;
    }

    private static String rule(short rule) {
        return switch (rule) {
            case DatabaseMetaData.importedKeyCascade -> "cascade";
            case DatabaseMetaData.importedKeyRestrict -> "restrict";
            case DatabaseMetaData.importedKeySetNull -> "set null";
            case DatabaseMetaData.importedKeySetDefault -> "set default";
            default -> "no action";
        };
    }

    /** What the migrations inserted (nothing, today): every row of the table, sorted. */
    private static List<String> rows(Connection connection, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select * from \"" + table + "\"")) {
            int count = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= count; i++) {
                    values.add(lower(result.getMetaData().getColumnLabel(i)) + "=" + result.getString(i));
                }
                values.sort(Comparator.naturalOrder());
                rows.add("row " + lower(table) + " " + values);
            }
        }
        return rows;
    }

    private static List<String> query(Connection connection, String sql, List<String> parameters,
            Function<List<String>, String> line) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setString(i + 1, parameters.get(i));
            }
            try (ResultSet result = statement.executeQuery()) {
                int count = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= count; i++) {
                        row.add(result.getString(i));
                    }
                    lines.add(line.apply(row));
                }
            }
        }
        return lines;
    }

    private static String attribute(String name, String value) {
        return value == null ? "" : " " + name + " " + value;
    }

    private static String lower(String identifier) {
        return identifier == null ? null : identifier.toLowerCase(Locale.ROOT);
    }

    /** The lines only one side has, as many times as it has them more than the other. */
    private static String differences(List<String> versioned, List<String> baseline) {
        Map<String, Integer> balance = new TreeMap<>();
        versioned.forEach(line -> balance.merge(line, 1, Integer::sum));
        baseline.forEach(line -> balance.merge(line, -1, Integer::sum));
        StringBuilder text = new StringBuilder();
        balance.forEach((line, count) -> {
            for (int i = 0; i < Math.abs(count); i++) {
                text.append(count > 0 ? "  only after the V scripts: " : "  only after the baseline:  ").append(line)
                        .append('\n');
            }
        });
        return text.toString();
    }

    // Databases

    private static void shutDownH2(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute("shutdown");
        }
    }
}
