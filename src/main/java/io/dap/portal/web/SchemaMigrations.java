package io.dap.portal.web;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import io.quarkus.flyway.FlywayConfigurationCustomizer;

/**
 * Every instance runs Flyway when it starts, and several instances may start at once on one
 * PostgreSQL database. Flyway's default takes its lock once per migration, so two instances starting
 * together can each apply part of an upgrade: the schema ends right, but no one instance did the
 * upgrade, and one that fails halfway leaves a schema between two versions. Grouped, the instance
 * that gets the lock first applies every pending migration in one transaction (PostgreSQL's DDL is
 * transactional: all of them or none), and the others wait for it and find nothing left to do.
 * H2's DDL is not transactional, and the H2 app runs as a single instance: it keeps the default.
 */
@Singleton
public class SchemaMigrations implements FlywayConfigurationCustomizer {

    @Inject
    @ConfigProperty(name = "quarkus.datasource.db-kind")
    String databaseKind;

    /** Whether pending migrations are applied together, under one lock, in one transaction. */
    public boolean grouped() {
        return "postgresql".equals(databaseKind);
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.group(grouped());
    }
}
