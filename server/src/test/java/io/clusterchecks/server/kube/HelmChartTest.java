package io.clusterchecks.server.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.clusterchecks.server.settings.AgentSettings;
import io.clusterchecks.server.settings.SettingsLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart {@code deploy/helm/clusterchecks}, rendered and linted by Helm's own library:
 * default values give objects the (mock) API server accepts, each option changes what it should,
 * and the environment the chart gives the agent loads into the settings it means.
 */
@EnableKubernetesMockClient(crud = true)
class HelmChartTest {
  private static final Path CHART = locate();
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";

  KubernetesClient client;

  private static Path locate() {
    for (Path p : List.of(Path.of("deploy", "helm", "clusterchecks"), Path.of("..", "deploy", "helm", "clusterchecks"))) {
      if (Files.isDirectory(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("deploy/helm/clusterchecks not found from " + Path.of("").toAbsolutePath());
  }

  private static TemplateCommand template() {
    return new Helm(CHART).template().withName("cc").withNamespace("monitoring");
  }

  private List<HasMetadata> render(TemplateCommand command) {
    String yaml = command.call();
    return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
  }

  private static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> objects, Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  private static Container container(List<HasMetadata> objects) {
    return ofKind(objects, Deployment.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Map<String, String> literalEnv(Container c) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : c.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      }
    }
    return env;
  }

  private static EnvVar env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElse(null);
  }

  @Test
  void lintsCleanAndDefaultValuesRenderToObjectsTheApiServerAccepts() {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();

    List<HasMetadata> objects = render(template().set("token.value", TOKEN));
    assertThat(objects).extracting(HasMetadata::getKind).containsExactlyInAnyOrder(
        "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Secret", "Service",
        "Deployment", "PodDisruptionBudget");
    client.resourceList(objects).inNamespace("monitoring").create();
    assertThat(client.apps().deployments().inNamespace("monitoring").withName("cc-clusterchecks").get()).isNotNull();

    Deployment d = ofKind(objects, Deployment.class).get(0);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    Secret secret = ofKind(objects, Secret.class).get(0);
    assertThat(new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8))
        .isEqualTo(TOKEN);
    assertThat(env(container(objects), "DD_CLUSTER_AGENT_AUTH_TOKEN").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo(secret.getMetadata().getName());
  }

  @Test
  void theEnvironmentTheChartSetsIsWhatTheAgentReads() {
    List<HasMetadata> objects = render(template().set("token.value", TOKEN).set("clusterName", "prod"));
    Container c = container(objects);
    Map<String, String> env = literalEnv(c);
    env.put("DD_CLUSTER_AGENT_AUTH_TOKEN", TOKEN);
    List<String> known = SettingsLoader.knownKeys().stream().map(SettingsLoader::envNameOf).toList();
    assertThat(c.getEnv()).extracting(EnvVar::getName).filteredOn(n -> n.startsWith("DD_"))
        .as("every DD_ variable of the chart is a setting").isSubsetOf(known);
    AgentSettings settings = SettingsLoader.load(null, env);
    assertThat(settings.warnings()).isEmpty();
    Map<String, Object> effective = settings.asMap();
    assertThat(effective.get("cluster_agent.cmd_port")).isEqualTo(5005);
    assertThat(effective.get("metrics_port")).isEqualTo(5000);
    assertThat(effective.get("health_port")).isEqualTo(5556);
    assertThat(effective.get("cluster_name")).isEqualTo("prod");
    assertThat(settings.leaderElection().enabled()).isTrue();
    assertThat(settings.extraConfigProviders()).containsExactly("kube_services", "kube_endpoints");

    // the Lease the agent elects on is the one the Role lets it renew
    Role role = ofKind(objects, Role.class).get(0);
    assertThat(role.getRules().get(0).getResourceNames()).containsExactly(settings.leaderElection().leaseName());
    // probes on the health port, as the Datadog chart probes the cluster agent
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(c.getPorts()).anyMatch(p -> "health".equals(p.getName()) && p.getContainerPort() == 5556);
    // the Service's target port exists on the container
    Service service = ofKind(objects, Service.class).get(0);
    assertThat(c.getPorts()).anyMatch(p -> p.getName().equals(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()));
  }

  @Test
  void eachOptionChangesWhatItShould() {
    // an existing token Secret: no Secret made, the agent reads the named one
    List<HasMetadata> existing = render(template().set("token.existingSecret", "datadog-cluster-agent")
        .set("token.key", "token"));
    assertThat(ofKind(existing, Secret.class)).isEmpty();
    assertThat(env(container(existing), "DD_CLUSTER_AGENT_AUTH_TOKEN").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("datadog-cluster-agent");

    // conf.d files: a ConfigMap, mounted, and the agent pointed at it
    List<HasMetadata> confd = render(template().set("token.value", TOKEN)
        .set("confd.files.http_check\\.yaml", "cluster_check: true\ninstances:\n  - url: http://a\n"));
    ConfigMap cm = ofKind(confd, ConfigMap.class).get(0);
    assertThat(cm.getData()).containsKey("http_check.yaml");
    assertThat(cm.getData().get("http_check.yaml")).contains("cluster_check: true");
    Container c = container(confd);
    assertThat(env(c, "DD_CONFD_PATH").getValue()).isEqualTo("/etc/clusterchecks/conf.d");
    assertThat(c.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/etc/clusterchecks/conf.d"));

    // TLS from a Secret; TLS off
    Container tls = container(render(template().set("token.value", TOKEN).set("tls.existingSecret", "cc-tls")));
    assertThat(env(tls, "DD_CLUSTER_AGENT_TLS_CERT_FILE").getValue()).isEqualTo("/etc/clusterchecks/tls/tls.crt");
    assertThat(env(tls, "DD_CLUSTER_AGENT_TLS_KEY_FILE").getValue()).isEqualTo("/etc/clusterchecks/tls/tls.key");
    Container plain = container(render(template().set("token.value", TOKEN).set("tls.enabled", "false")));
    assertThat(env(plain, "DD_CLUSTER_AGENT_TLS_ENABLED").getValue()).isEqualTo("false");
    assertThat(env(plain, "DD_CLUSTER_AGENT_TLS_CERT_FILE")).isNull();

    // replicas, autodiscovery, PDB, ServiceMonitor
    List<HasMetadata> options = render(template().set("token.value", TOKEN).set("replicaCount", "3")
        .set("autodiscovery.endpoints", "false").set("podDisruptionBudget.enabled", "false")
        .set("serviceMonitor.enabled", "true"));
    assertThat(ofKind(options, Deployment.class).get(0).getSpec().getReplicas()).isEqualTo(3);
    assertThat(env(container(options), "DD_EXTRA_CONFIG_PROVIDERS").getValue()).isEqualTo("kube_services");
    assertThat(ofKind(options, PodDisruptionBudget.class)).isEmpty();
    assertThat(options).anyMatch(o -> o.getKind().equals("ServiceMonitor")
        && Objects.equals(o.getMetadata().getName(), "cc-clusterchecks"));
  }

  @Test
  void aMissingOrShortTokenIsRefusedWithAMessageThatSaysWhatToDo() {
    assertThatThrownBy(() -> template().call()).hasMessageContaining("token.value must hold at least 32 characters");
    assertThatThrownBy(() -> template().set("token.value", "short").call())
        .hasMessageContaining("token.existingSecret");
  }
}
