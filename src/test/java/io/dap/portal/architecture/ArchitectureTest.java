package io.dap.portal.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The package ranks of src/docs/architecture.md, checked on the compiled main code: a package
 * imports only from its own rank or lower ones, no two packages reach each other, and nothing
 * outside dev/ knows dev/ exists. Each rule's name is in its failure message.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.dap.portal");

    // The ranks, lowest first: each top-level package of io.dap.portal is in exactly one.
    private static final List<String> WEB_KIT = List.of("web");
    private static final List<String> USERS = List.of("user");
    private static final List<String> ACCOUNTS = List.of("account");
    private static final List<String> OUTLETS = List.of("mail", "notification");
    private static final List<String> ACCESS = List.of("access");
    private static final List<String> FEATURES = List.of("audit", "limit", "usage", "twofactor", "invitation",
            "sshkey", "session", "credentials", "impersonation", "infrastructure", "billing", "apitoken", "sharing");
    private static final List<String> EDGES = List.of("pages", "api", "switching", "operator", "dev");

    private static String[] packages(List<String> names) {
        return names.stream().map(name -> "io.dap.portal." + name + "..").toArray(String[]::new);
    }

    @Test
    void no_package_cycles() {
        slices().matching("io.dap.portal.(*)..")
                .should().beFreeOfCycles()
                .as("No package cycles: no two top-level packages of io.dap.portal reach each other")
                .check(MAIN);
    }

    @Test
    void no_cycles_between_page_packages() {
        slices().matching("io.dap.portal.pages.(*)..")
                .should().beFreeOfCycles()
                .as("No package cycles between the page packages either")
                .check(MAIN);
    }

    @Test
    void ranks_point_down() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("web kit").definedBy(packages(WEB_KIT))
                .layer("users").definedBy(packages(USERS))
                .layer("accounts").definedBy(packages(ACCOUNTS))
                .layer("outlets").definedBy(packages(OUTLETS))
                .layer("access").definedBy(packages(ACCESS))
                .layer("features").definedBy(packages(FEATURES))
                .layer("edges").definedBy(packages(EDGES))
                .whereLayer("edges").mayNotBeAccessedByAnyLayer()
                .whereLayer("features").mayOnlyBeAccessedByLayers("edges")
                .whereLayer("access").mayOnlyBeAccessedByLayers("features", "edges")
                .whereLayer("outlets").mayOnlyBeAccessedByLayers("access", "features", "edges")
                .whereLayer("accounts").mayOnlyBeAccessedByLayers("outlets", "access", "features", "edges")
                .whereLayer("users").mayOnlyBeAccessedByLayers("accounts", "outlets", "access", "features", "edges")
                .as("Ranks point down: web kit < users < accounts < outlets (mail, notification) < access"
                    + " < features < edges (pages, api, switching, operator, dev)")
                .check(MAIN);
    }

    @Test
    void dev_stays_in_dev() {
        noClasses().that().resideOutsideOfPackage("io.dap.portal.dev..")
                .should().dependOnClassesThat().resideInAPackage("io.dap.portal.dev..")
                .as("dev/ exists in dev mode only: no main code outside it refers to it")
                .check(MAIN);
    }

    @Test
    void every_package_has_a_rank() {
        Set<String> ranked = new TreeSet<>();
        Stream.of(WEB_KIT, USERS, ACCOUNTS, OUTLETS, ACCESS, FEATURES, EDGES).forEach(ranked::addAll);
        Set<String> unranked = new TreeSet<>();
        MAIN.stream().map(c -> c.getPackageName()).filter(name -> name.startsWith("io.dap.portal."))
                .map(name -> Arrays.asList(name.split("\\.")).get(3)).filter(name -> !ranked.contains(name))
                .forEach(unranked::add);
        assertTrue(unranked.isEmpty(), "Every top-level package has a rank: place " + unranked
                + " in a rank of ArchitectureTest and of src/docs/architecture.md");
    }
}
