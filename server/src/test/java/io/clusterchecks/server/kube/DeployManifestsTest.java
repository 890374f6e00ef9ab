package io.clusterchecks.server.kube;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import io.clusterchecks.server.settings.SettingsLoader;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes/ loads as valid Kubernetes objects, the API server (mock, CRUD) accepts them,
 * and they agree with each other and with the code: names, labels and selectors, ports and probes,
 * the token Secret, the Lease name, and RBAC for every API the agent watches.
 */
@EnableKubernetesMockClient(crud = true)
class DeployManifestsTest {
  private static final Path DIR = locate();

  KubernetesClient client;
  private final List<HasMetadata> objects = new ArrayList<>();

  private static Path locate() {
    for (Path p : List.of(Path.of("deploy", "kubernetes"), Path.of("..", "deploy", "kubernetes"))) {
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    throw new IllegalStateException("deploy/kubernetes not found from " + Path.of("").toAbsolutePath());
  }

  @BeforeEach
  void load() throws IOException {
    JsonNode kustomization = new YAMLMapper().readTree(DIR.resolve("kustomization.yaml").toFile());
    List<String> listed = new ArrayList<>();
    kustomization.get("resources").forEach(r -> listed.add(r.asString()));
    try (Stream<Path> files = Files.list(DIR)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .filter(n -> !n.equals("kustomization.yaml")))
          .as("every manifest is in kustomization.yaml").containsExactlyInAnyOrderElementsOf(listed);
    }
    for (String file : listed) {
      try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
        objects.addAll(client.load(in).items());
      }
    }
  }

  private <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private <T extends HasMetadata> T one(Class<T> type) {
    assertThat(all(type)).as(type.getSimpleName()).hasSize(1);
    return all(type).get(0);
  }

  @Test
  void everyObjectIsATypedKubernetesObjectThatTheApiServerAccepts() {
    assertThat(objects).isNotEmpty().noneMatch(o -> o instanceof GenericKubernetesResource);
    String ns = one(Namespace.class).getMetadata().getName();
    for (HasMetadata o : objects) {
      boolean clusterScoped = o instanceof Namespace || o instanceof ClusterRole || o instanceof ClusterRoleBinding;
      assertThat(o.getMetadata().getNamespace()).as(o.getKind() + " namespace").isEqualTo(clusterScoped ? null : ns);
      assertThat(o.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "clusterchecks");
    }
    client.resourceList(objects).create();
    assertThat(client.apps().deployments().inNamespace(ns).withName("clusterchecks").get()).isNotNull();
    assertThat(client.rbac().clusterRoles().withName("clusterchecks").get()).isNotNull();
  }

  @Test
  void deploymentServiceAndSecretAgree() {
    Deployment d = one(Deployment.class);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(podLabels).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
    Service svc = one(Service.class);
    assertThat(podLabels).containsAllEntriesOf(svc.getSpec().getSelector());

    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs()).containsExactly("agent");
    Map<String, Integer> ports = new java.util.HashMap<>();
    for (ContainerPort p : c.getPorts()) {
      ports.put(p.getName(), p.getContainerPort());
    }
    assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getPort()).isEqualTo(5005);
      assertThat(ports.get(p.getTargetPort().getStrVal())).isEqualTo(5005);
    });
    Map<String, EnvVar> env = new java.util.HashMap<>();
    c.getEnv().forEach(e -> env.put(e.getName(), e));
    assertThat(env.get("DD_CLUSTER_AGENT_CMD_PORT").getValue()).isEqualTo("5005");
    assertThat(env.get("DD_METRICS_PORT").getValue()).isEqualTo("5000");
    assertThat(env.get("DD_HEALTH_PORT").getValue()).isEqualTo("5556");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/live");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(ports.get(c.getLivenessProbe().getHttpGet().getPort().getStrVal())).isEqualTo(5556);
    assertThat(ports.get(c.getReadinessProbe().getHttpGet().getPort().getStrVal())).isEqualTo(5556);
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");

    Secret secret = one(Secret.class);
    var ref = env.get("DD_CLUSTER_AGENT_AUTH_TOKEN").getValueFrom().getSecretKeyRef();
    assertThat(ref.getName()).isEqualTo(secret.getMetadata().getName());
    assertThat(secret.getStringData()).containsKey(ref.getKey());
    assertThat(secret.getStringData().get(ref.getKey())).as("the placeholder must not be a usable token")
        .hasSizeLessThan(32);

    assertThat(env.get("DD_LEADER_ELECTION").getValue()).isEqualTo("true");
    assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    assertThat(List.of(env.get("DD_EXTRA_CONFIG_PROVIDERS").getValue().split(" ")))
        .contains(KubeServicesSource.NAME, KubeEndpointsSource.NAME);
    assertThat(List.of(env.get("DD_EXTRA_LISTENERS").getValue().split(" ")))
        .contains(KubeServicesSource.NAME, KubeEndpointsSource.NAME);
    Set<String> knownEnv = new HashSet<>();
    SettingsLoader.knownKeys().forEach(k -> knownEnv.add(SettingsLoader.envNameOf(k)));
    assertThat(env.keySet().stream().filter(n -> n.startsWith("DD_"))).as("every DD_ variable is a setting")
        .allMatch(knownEnv::contains);
    assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(one(ServiceAccount.class).getMetadata().getName());
  }

  @Test
  void rbacCoversWhatTheAgentWatchesAndTheLease() {
    ServiceAccount sa = one(ServiceAccount.class);
    ClusterRole cr = one(ClusterRole.class);
    ClusterRoleBinding crb = one(ClusterRoleBinding.class);
    assertThat(crb.getRoleRef().getName()).isEqualTo(cr.getMetadata().getName());
    assertThat(crb.getSubjects()).anySatisfy(s -> isAccount(s, sa));
    // The informers list and watch these in every namespace.
    for (String[] gr : new String[][] {{"", "services"}, {"", "endpoints"}, {"discovery.k8s.io", "endpointslices"},
        {"", "pods"}, {"", "nodes"}}) {
      assertThat(allows(cr.getRules(), gr[0], gr[1], null, "list")).as(gr[1] + " list").isTrue();
      assertThat(allows(cr.getRules(), gr[0], gr[1], null, "watch")).as(gr[1] + " watch").isTrue();
    }
    Role role = one(Role.class);
    RoleBinding rb = one(RoleBinding.class);
    assertThat(rb.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(rb.getSubjects()).anySatisfy(s -> isAccount(s, sa));
    Container c = one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    String lease = c.getEnv().stream().filter(e -> e.getName().equals("DD_LEADER_LEASE_NAME")).findFirst()
        .orElseThrow().getValue();
    for (String verb : List.of("get", "update")) {
      assertThat(allows(role.getRules(), "coordination.k8s.io", "leases", lease, verb)).as("lease " + verb).isTrue();
    }
    assertThat(allows(role.getRules(), "coordination.k8s.io", "leases", null, "create")).isTrue();
    assertThat(allows(role.getRules(), "coordination.k8s.io", "leases", "someone-elses-lease", "update")).isFalse();
  }

  private static void isAccount(Subject s, ServiceAccount sa) {
    assertThat(s.getKind()).isEqualTo("ServiceAccount");
    assertThat(s.getName()).isEqualTo(sa.getMetadata().getName());
    assertThat(s.getNamespace()).isEqualTo(sa.getMetadata().getNamespace());
  }

  /** Whether a rule grants the verb; resourceName null means "any object" (list, watch, create). */
  private static boolean allows(List<PolicyRule> rules, String group, String resource, String name, String verb) {
    return rules.stream().anyMatch(r -> r.getApiGroups() != null && r.getApiGroups().contains(group)
        && r.getResources() != null && r.getResources().contains(resource)
        && r.getVerbs().contains(verb)
        && (r.getResourceNames() == null || r.getResourceNames().isEmpty()
            || (name != null && r.getResourceNames().contains(name))));
  }
}
