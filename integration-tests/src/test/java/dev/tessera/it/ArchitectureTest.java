package dev.tessera.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of DESIGN §2, enforced on the compiled classes: the compiler core knows
 * nothing of Flink, Kafka or Avro; the Presburger library uses the JDK alone; and no test of ours
 * uses JUnit 4 (the artifact stays on the classpath because Flink's MiniCluster extension needs it).
 */
class ArchitectureTest {
    private static final String[] STREAMING_STACK = {
        "org.apache.flink..", "org.apache.kafka..", "kafka..", "org.apache.avro..", "dev.tessera.schemas..", "dev.tessera.jobs..", "dev.tessera.cli.."
    };
    private static final String[] JUNIT4 = {
        "org.junit", "org.junit.rules..", "org.junit.runner..", "org.junit.runners..", "org.junit.experimental..",
        "org.junit.internal..", "org.junit.function..", "junit.."
    };
    /** Every module whose tests are ours. */
    private static final List<String> MODULES = List.of(
            "schemas", "polyhedral", "accel-emulator", "operators", "jobs", "benchmarks", "integration-tests");

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tessera.polyhedral", "dev.tessera.emulator", "dev.tessera.operators");

    @Test
    void compilerCoreKnowsNothingOfFlinkKafkaOrAvro() {
        ArchRule rule = noClasses()
                .that().resideInAnyPackage("dev.tessera.polyhedral..", "dev.tessera.emulator..", "dev.tessera.operators..")
                .should().dependOnClassesThat().resideInAnyPackage(STREAMING_STACK)
                .because("DESIGN §2: polyhedral, accel-emulator and operators are plain Java libraries");
        rule.check(CORE);
    }

    @Test
    void polyhedralUsesTheJdkAlone() {
        ArchRule rule = classes()
                .that().resideInAPackage("dev.tessera.polyhedral..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.tessera.polyhedral..", "")
                .because("DESIGN §2: the Presburger library depends on the JDK only");
        rule.check(CORE);
    }

    @Test
    void ourTestsDoNotUseJUnit4() {
        Path root = Path.of(System.getProperty("tessera.root", ".."));
        ClassFileImporter importer = new ClassFileImporter();
        for (String module : MODULES) {
            Path testClasses = root.resolve(module).resolve("target/test-classes");
            assertThat(Files.isDirectory(testClasses))
                    .as("compiled tests of module %s at %s (build the whole reactor first)", module, testClasses)
                    .isTrue();
        }
        JavaClasses tests = importer.importPaths(
                MODULES.stream().map(m -> root.resolve(m).resolve("target/test-classes")).toList());
        ArchRule rule = noClasses()
                .should().dependOnClassesThat().resideInAnyPackage(JUNIT4)
                .because("tests use JUnit 5; junit:junit is on the classpath only for Flink's MiniCluster extension");
        rule.check(tests);
    }
}
