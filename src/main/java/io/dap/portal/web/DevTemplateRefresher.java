package io.dap.portal.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.qute.Engine;
import io.quarkus.runtime.LaunchMode;

/**
 * Dev mode only: templates live in the top-level templates/ folder, which the pom maps onto
 * classpath:templates/. Dev mode's own resource sync copies an edited file to the wrong place
 * (it ignores the pom's targetPath), so before each request this copies any template edited on
 * disk to target/classes/templates/ and clears Qute's cache: the next render shows the edit.
 */
public class DevTemplateRefresher {

    private static final Logger LOG = Logger.getLogger(DevTemplateRefresher.class);
    private static final Path SOURCE = Path.of("templates");
    private static final Path TARGET = Path.of("target", "classes", "templates");

    @Inject
    Engine engine;

    @ServerRequestFilter
    public void refresh() {
        if (LaunchMode.current() != LaunchMode.DEVELOPMENT || !Files.isDirectory(SOURCE)) {
            return;
        }
        synchronized (this) {
            boolean changed = false;
            try (Stream<Path> files = Files.walk(SOURCE)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    Path copy = TARGET.resolve(SOURCE.relativize(file).toString());
                    if (!Files.exists(copy)
                            || Files.getLastModifiedTime(copy).compareTo(Files.getLastModifiedTime(file)) < 0) {
                        Files.createDirectories(copy.getParent());
                        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                        LOG.infof("Template %s refreshed", file);
                        changed = true;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (changed) {
                engine.clearTemplates();
            }
        }
    }
}
