package io.dap.portal.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.flywaydb.core.api.MigrationVersion;

/**
 * The Flyway scripts of a folder: the versioned ones (V…), the newest baseline (B…, or null), and
 * every word they contain (to tell names the scripts give from names a database makes up).
 */
public record MigrationScripts(List<MigrationVersion> versioned, MigrationVersion baseline, String baselineFile,
        Set<String> words) {

    private static final Pattern SCRIPT = Pattern.compile("([VB])(\\d+(?:[._]\\d+)*)__.+\\.sql");
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public static MigrationScripts in(Path folder) throws IOException {
        List<MigrationVersion> versioned = new ArrayList<>();
        TreeMap<MigrationVersion, String> baselines = new TreeMap<>();
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Matcher name = SCRIPT.matcher(file.getFileName().toString());
                if (!name.matches()) {
                    continue;
                }
                MigrationVersion version = MigrationVersion.fromVersion(name.group(2));
                if (name.group(1).equals("V")) {
                    versioned.add(version);
                } else {
                    baselines.put(version, file.getFileName().toString());
                }
                text.append(Files.readString(file)).append('\n');
            }
        }
        versioned.sort(Comparator.naturalOrder());
        Map.Entry<MigrationVersion, String> highest = baselines.lastEntry();
        Set<String> words = WORD.matcher(text).results().map(m -> m.group().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        return new MigrationScripts(versioned, highest == null ? null : highest.getKey(),
                highest == null ? null : highest.getValue(), words);
    }

    public List<MigrationVersion> versionedAbove(MigrationVersion version) {
        return versioned.stream().filter(v -> v.compareTo(version) > 0).toList();
    }

    /** What Flyway applies to an empty database: the newest baseline, then the V scripts above it. */
    public List<MigrationVersion> onAnEmptyDatabase() {
        if (baseline == null) {
            return versioned;
        }
        List<MigrationVersion> applied = new ArrayList<>();
        applied.add(baseline);
        applied.addAll(versionedAbove(baseline));
        return applied;
    }
}
