package io.clusterchecks.server.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.clusterchecks.core.time.TaskScheduler;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layers, arrows one way: core knows nothing of HTTP, files, sockets, the worker
 * library and the server, and starts no threads; the worker library never sees the server; the
 * agent (core, worker, server) never sees the simulator or the testkit. Checked on the main classes
 * of those five (the simulator and the testkit are test dependencies of the server, so their
 * classes are here too). The demo
 * module, which joins the agent and the simulator, is outside the agent's jar (the server's build
 * checks the jar), and the benchmarks keep to public API (bench's BenchArchitectureTest).
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

  /**
   * Core computes; the agent does its I/O. File, path and socket types stay out of core, so what
   * core does can be tested on values and {@code ManualTime} alone.
   */
  @Test
  void coreDoesNoIo() {
    noClasses().that().resideInAPackage("io.clusterchecks.core..")
        .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.net..", "java.nio.channels..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileInputStream")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileOutputStream")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileReader")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileWriter")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.RandomAccessFile")
        .check(classes);
  }

  /**
   * Core's work runs on the caller's thread or on the {@link TaskScheduler} it is given. The one
   * exception is {@code TaskScheduler.singleThread}, the production dispatch thread, which the
   * agent asks for and closes (it stays in core so core's threading tests run it).
   */
  @Test
  void coreStartsNoThreads() {
    noClasses().that().resideInAPackage("io.clusterchecks.core..")
        .and().doNotHaveFullyQualifiedName(TaskScheduler.SingleThread.class.getName())
        .should().callConstructor(Thread.class, Runnable.class)
        .orShould().callConstructor(Thread.class, Runnable.class, String.class)
        .orShould().callMethod(Thread.class, "start")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.Executors")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadPoolExecutor")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ScheduledThreadPoolExecutor")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ForkJoinPool")
        .orShould().callMethodWhere(JavaCall.Predicates.target(HasName.Predicates.nameEndingWith("Async"))
            .and(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
                JavaClass.Predicates.type(CompletableFuture.class)))))
        .check(classes);
  }

  /**
   * The agent ships no simulated workers and no test parts: they live in the simulator, the demo
   * and the testkit (the relays the tests, chaos and the load runner cut), outside its jar.
   */
  @Test
  void theAgentNeverSeesTheSimulatorOrTheTestkit() {
    noClasses().that().resideInAnyPackage("io.clusterchecks.core..", "io.clusterchecks.worker..",
            "io.clusterchecks.server..")
        .should().dependOnClassesThat().resideInAnyPackage("io.clusterchecks.simulator..", "io.clusterchecks.demo..",
            "io.clusterchecks.testkit..")
        .check(classes);
  }

  @Test
  void workerNeverSeesTheServer() {
    noClasses().that().resideInAPackage("io.clusterchecks.worker..")
        .should().dependOnClassesThat().resideInAnyPackage("io.clusterchecks.server..", "io.javalin..")
        .check(classes);
  }

  /**
   * The server reads its process environment in one place, {@code SettingsLoader.fromProcess};
   * everything else asks the settings it was given ({@code AgentSettings.env}), so a test sets a
   * variable by passing a map. {@code ServerCertificate} still reads {@code HOSTNAME} for the names
   * of a self-signed certificate: the API server's options do not carry the settings yet.
   */
  @Test
  void onlyTheSettingsLoaderReadsTheServersEnvironment() {
    noClasses().that().resideInAPackage("io.clusterchecks.server..")
        .and().doNotHaveFullyQualifiedName("io.clusterchecks.server.settings.SettingsLoader")
        .and().doNotHaveFullyQualifiedName("io.clusterchecks.server.api.ServerCertificate")
        // calls and method references (System::getenv) alike
        .should().accessTargetWhere(JavaAccess.Predicates.target(HasName.Predicates.name("getenv")).and(
            JavaAccess.Predicates.target(HasOwner.Predicates.With.owner(JavaClass.Predicates.equivalentTo(System.class)))))
        .because("settings are loaded from an injectable environment: SettingsLoader.load(file, env)")
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

  /**
   * {@code final} alone lets a static {@code HashMap} or array through: every static field that
   * holds a collection, a map or an array must hold one nobody can change. Checked on the values
   * themselves (the classes are initialised), since a field typed {@code Map} says nothing of what
   * it holds.
   */
  @Test
  void staticCollectionsMapsAndArraysAreImmutable() throws Exception {
    List<String> mutable = new ArrayList<>();
    for (JavaClass c : classes) {
      if (c.isAnnotation() || c.getName().contains("$$")) {
        continue;
      }
      Class<?> type = Class.forName(c.getName(), true, ArchitectureTest.class.getClassLoader());
      for (Field f : type.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers()) || f.isSynthetic() || f.isEnumConstant()) {
          continue;
        }
        Class<?> t = f.getType();
        boolean container = Collection.class.isAssignableFrom(t) || Map.class.isAssignableFrom(t) || t.isArray();
        if (!container) {
          continue;
        }
        f.setAccessible(true);
        Object value = f.get(null);
        if (value != null && !isImmutable(value)) {
          mutable.add(c.getName() + "." + f.getName() + " holds a " + value.getClass().getName());
        }
      }
    }
    assertThat(mutable).as("static mutable containers; use List.of/Map.copyOf/Set.copyOf").isEmpty();
  }

  private static boolean isImmutable(Object value) {
    if (value.getClass().isArray()) {
      return java.lang.reflect.Array.getLength(value) == 0;
    }
    String name = value.getClass().getName();
    return name.startsWith("java.util.ImmutableCollections$")
        || name.startsWith("java.util.Collections$Unmodifiable")
        || name.startsWith("java.util.Collections$Empty")
        || name.startsWith("java.util.Collections$Singleton")
        || name.startsWith("java.util.KeyValueHolder");
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
        .anyMatch(p -> p.startsWith("io.clusterchecks.simulator"))
        .anyMatch(p -> p.startsWith("io.clusterchecks.testkit"))
        .anyMatch(p -> p.startsWith("io.clusterchecks.server"));
  }
}
