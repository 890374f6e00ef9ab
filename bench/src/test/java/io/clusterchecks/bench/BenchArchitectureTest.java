package io.clusterchecks.bench;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasModifiers.Predicates.modifier;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks measure what a user of the modules can call: they live in their own packages and
 * reach core, the worker library and the simulator through public classes only, so a benchmark
 * never pins an internal (and an internal can change without touching the benchmarks).
 */
class BenchArchitectureTest {
  private static JavaClasses bench;

  @BeforeAll
  static void importBenchClasses() {
    Path mainClasses = Path.of("target", "classes"); // surefire runs in the module's folder
    assertThat(Files.isDirectory(mainClasses)).as("bench's compiled classes in %s", mainClasses.toAbsolutePath()).isTrue();
    bench = new ClassFileImporter().importPath(mainClasses);
    assertThat(bench).as("bench classes").isNotEmpty();
  }

  @Test
  void benchmarksLiveInTheirOwnPackages() {
    classes().should().resideInAPackage("io.clusterchecks.bench..").check(bench);
  }

  @Test
  void benchmarksUseOnlyPublicClassesOfTheModules() {
    noClasses().should().dependOnClassesThat(resideInAPackage("io.clusterchecks..")
            .and(not(resideInAPackage("io.clusterchecks.bench..")))
            .and(not(modifier(JavaModifier.PUBLIC))))
        .check(bench);
  }
}
