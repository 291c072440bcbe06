package io.dap.portal.web;

import jakarta.inject.Singleton;

import org.flywaydb.core.api.configuration.FluentConfiguration;

import io.quarkus.flyway.FlywayConfigurationCustomizer;

/**
 * Every instance runs Flyway when it starts, and several instances may start at once on one
 * database. Flyway's default takes its lock once per migration, so two instances starting together
 * can each apply part of an upgrade: the schema ends right, but no one instance did the upgrade, and
 * one that fails halfway leaves a schema between two versions. Grouped, the instance that gets the
 * lock first applies every pending migration in one transaction (on PostgreSQL, where DDL is
 * transactional, all of them or none), and the others wait for it and find nothing left to do.
 */
@Singleton
public class SchemaMigrations implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.group(true);
    }
}
