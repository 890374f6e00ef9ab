package io.clusterchecks.server.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layers, arrows one way: core knows nothing of HTTP, the worker library and the
 * server; the worker library never sees the server. Checked on the main classes of all three.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.clusterchecks");
  }

  @Test
  void coreDependsOnNeitherWorkerNorServerNorHttp() {
    noClasses().that().resideInAPackage("io.clusterchecks.core..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.clusterchecks.worker..", "io.clusterchecks.server..",
            "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "java.net.http..")
        .check(classes);
  }

  @Test
  void workerNeverSeesTheServer() {
    noClasses().that().resideInAPackage("io.clusterchecks.worker..")
        .should().dependOnClassesThat().resideInAnyPackage("io.clusterchecks.server..", "io.javalin..")
        .check(classes);
  }

  @Test
  void noStaticMutableState() {
    fields().that().areDeclaredInClassesThat().resideInAPackage("io.clusterchecks..")
        .and().areStatic()
        .should().beFinal()
        .because("state lives in objects that tests can create fresh; see docs/architecture.md")
        .check(classes);
  }

  @Test
  void theDispatchStateIsNotPublic() {
    noClasses().that().resideInAPackage("io.clusterchecks.core.dispatch..")
        .and().haveSimpleNameEndingWith("State")
        .should().bePublic()
        .check(classes);
  }

  @Test
  void everyClassImportedSomething() {
    // Guards the rules above from passing vacuously if a package is renamed.
    org.assertj.core.api.Assertions.assertThat(classes.stream().map(c -> c.getPackageName()).distinct())
        .anyMatch(p -> p.startsWith("io.clusterchecks.core"))
        .anyMatch(p -> p.startsWith("io.clusterchecks.worker"))
        .anyMatch(p -> p.startsWith("io.clusterchecks.server"));
  }
}
