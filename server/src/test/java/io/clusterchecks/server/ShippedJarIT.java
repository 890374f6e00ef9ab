package io.clusterchecks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.simulator.SimulatedWorkerFleet;
import io.clusterchecks.testkit.ReplicaEnvironment;
import io.clusterchecks.worker.InsecureTls;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar that ships ({@code target/clusterchecks.jar}), run as {@code java -jar} processes. The
 * other tests run on the dependency jars, so they cannot see a class the shaded jar lacks (it is
 * minimized and filtered, see the shade plugin in this module's POM): a ZooKeeper election with
 * a failover, a Kubernetes Lease election with the Service source against the mock API server,
 * the metrics page and the CLI, each through the jar. Run by the {@code shipped-jar} surefire
 * execution after {@code package}.
 */
@EnableKubernetesMockClient(crud = true)
class ShippedJarIT {
  private static final String TOKEN = "shipped-jar-token-0123456789abcdef0123456789";
  private static final Path JAR = Path.of("target", "clusterchecks.jar");
  private static final Duration WAIT = Duration.ofSeconds(90);

  KubernetesClient client;
  @TempDir
  Path tmp;
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().sslContext(InsecureTls.trustAllContext())
      .connectTimeout(Duration.ofSeconds(2)).build();
  private SimulatedWorkerFleet fleet;

  @AfterEach
  void stop() throws InterruptedException, IOException {
    if (fleet != null) {
      fleet.close();
    }
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    // The agents' own logs, in the surefire report: a class the jar lacks shows up there.
    try (var logs = Files.list(tmp)) {
      for (Path log : logs.filter(f -> f.toString().endsWith(".log")).toList()) {
        System.out.println("==> " + log.getFileName() + "\n" + Files.readString(log));
      }
    }
  }

  @Test
  void twoReplicasElectOverZooKeeperAndTheSurvivorTakesOver() throws Exception {
    try (TestingServer zk = new TestingServer(true)) {
      Path confd = Files.createDirectories(tmp.resolve("conf.d/http_check.d"));
      Files.writeString(confd.resolve("svc.yaml"),
          "cluster_check: true\ninit_config:\ninstances:\n  - name: svc\n    url: http://svc/\n");
      List<Integer> ports = List.of(freePort(), freePort());
      List<Integer> metricsPorts = List.of(freePort(), freePort());
      for (int i = 0; i < 2; i++) {
        Map<String, String> env = baseEnv(ports.get(i), "replica-" + i);
        env.put("DD_METRICS_PORT", Integer.toString(metricsPorts.get(i)));
        env.put("DD_LEADER_ELECTION", "true");
        env.put("DD_LEADER_ELECTION_BACKEND", "zookeeper");
        env.put("DD_LEADER_ELECTION_ZOOKEEPER_CONNECT_STRING", zk.getConnectString());
        env.put("DD_LEADER_ELECTION_ZOOKEEPER_SESSION_TIMEOUT", "5s");
        processes.add(start(env, "agent"));
      }
      int leader = await().atMost(WAIT).until(() -> leaderAmong(ports), i -> i >= 0);

      // A worker that reports to the follower is served through the leader it forwards to.
      int follower = 1 - leader;
      fleet = SimulatedWorkerFleet.builder("https://127.0.0.1:" + ports.get(follower), TOKEN).count(1)
          .pollInterval(Duration.ofMillis(200)).build();
      fleet.startAll();
      await().atMost(WAIT).untilAsserted(() -> assertThat(serviceIdsOnWorkers()).hasSize(1));

      // The CLI, from the same jar, reads the leader's state.
      Process status = start(baseEnv(ports.get(leader), "cli"), "status", "--json");
      assertThat(status.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String out = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(status.exitValue()).as(out).isZero();
      assertThat(out).contains("\"status\"").contains("\"leader\"");

      // The leader dies without a word; its ZooKeeper session expires and the survivor leads.
      processes.get(leader).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> leaderAmong(List.of(ports.get(follower))) == 0);
      // The new leader's telemetry: Micrometer's JVM binders and the dispatcher's series.
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + metricsPorts.get(follower) + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("cluster_checks_nodes_reporting");
    }
  }

  @Test
  void aReplicaLeadsThroughALeaseAndDispatchesAnnotatedServices() throws Exception {
    Path kubeconfig = tmp.resolve("kubeconfig");
    Files.writeString(kubeconfig, String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: mock",
        "  cluster:",
        "    server: " + client.getMasterUrl(),
        "    insecure-skip-tls-verify: true",
        "contexts:",
        "- name: mock",
        "  context:",
        "    cluster: mock",
        "    namespace: test",
        "    user: mock",
        "users:",
        "- name: mock",
        "  user:",
        "    token: mock-token",
        "current-context: mock",
        ""));
    int port = freePort();
    Map<String, String> env = baseEnv(port, "dca-0");
    env.put("DD_KUBERNETES_KUBECONFIG_PATH", kubeconfig.toString());
    env.put("DD_LEADER_ELECTION", "true");
    env.put("DD_LEADER_ELECTION_BACKEND", "kubernetes");
    env.put("DD_EXTRA_CONFIG_PROVIDERS", "kube_services");
    env.put("DD_EXTRA_LISTENERS", "kube_services");
    processes.add(start(env, "agent"));

    await().atMost(WAIT).untilAsserted(() -> assertThat(client.resources(Lease.class).inNamespace("test")
        .withName("datadog-leader-election").get()).isNotNull()
        .satisfies(l -> assertThat(l.getSpec().getHolderIdentity()).isEqualTo("dca-0")));
    await().atMost(WAIT).until(() -> leaderAmong(List.of(port)) == 0);

    client.services().inNamespace("prod").resource(new ServiceBuilder().withNewMetadata().withNamespace("prod")
        .withName("web").withAnnotations(Map.of("ad.datadoghq.com/service.checks",
            "{\"http_check\":{\"instances\":[{\"url\":\"http://%%host%%:%%port%%/health\"}]}}"))
        .endMetadata().withNewSpec().withClusterIP("10.96.0.10").addNewPort().withName("http").withPort(80)
        .endPort().endSpec().build()).create();
    fleet = SimulatedWorkerFleet.builder("https://127.0.0.1:" + port, TOKEN).count(1)
        .pollInterval(Duration.ofMillis(200)).build();
    fleet.startAll();
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(serviceIdsOnWorkers()).containsExactly("kube_service://prod/web"));
    assertThat(fleet.configsByWorker().values().iterator().next().values()).singleElement()
        .satisfies(c -> assertThat(c.instances().get(0).text()).contains("url: http://10.96.0.10:80/health"));

    // The dashboard: the two uPlot files the jar keeps of its WebJar, and the snapshot in JSON.
    assertThat(get(port, "/dashboard/uPlot.iife.min.js").body()).contains("uPlot");
    assertThat(get(port, "/dashboard/uPlot.min.css").body()).contains(".uplot");
    assertThat(get(port, "/api/v1/dashboard/snapshot").body()).contains("kube_service://prod/web");
  }

  private Map<String, String> baseEnv(int port, String name) {
    Map<String, String> env = ReplicaEnvironment.loopback(TOKEN, port, tmp.resolve("conf.d"));
    env.put("DD_CLUSTER_CHECKS_WARMUP_DURATION", "0s");
    env.put("POD_NAME", name);
    return env;
  }

  private Process start(Map<String, String> env, String... command) throws IOException {
    assertThat(JAR).as("the shaded jar, built by package").isRegularFile();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
    cmd.addAll(List.of(command));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (command[0].equals("agent")) {
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve(env.get("POD_NAME") + ".log").toFile()));
    }
    pb.environment().keySet().removeIf(k -> k.startsWith("DD_") || k.startsWith("KUBE"));
    pb.environment().putAll(env);
    return pb.start();
  }

  /** The index in {@code ports} of the replica that answers the leader-only placement route, else -1. */
  private int leaderAmong(List<Integer> ports) {
    for (int i = 0; i < ports.size(); i++) {
      try {
        if (get(ports.get(i), "/api/v1/clusterchecks/placement").statusCode() == 200) {
          return i;
        }
      } catch (IOException e) {
        // not listening yet, or gone
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
    return -1;
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + TOKEN).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<String> serviceIdsOnWorkers() {
    List<String> ids = new ArrayList<>();
    for (Map<String, Config> configs : fleet.configsByWorker().values()) {
      configs.values().forEach(c -> ids.add(c.serviceId()));
    }
    return ids;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
