package io.clusterchecks.server.kube;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigListener;
import io.clusterchecks.server.settings.AgentSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes config sources the settings ask for, on one client.
 *
 * <p>As in a Datadog values file, {@code kube_services} and {@code kube_endpoints} are enabled by
 * {@code extra_config_providers} and {@code extra_listeners} (the reference needs a name in both
 * lists; we enable a source when it is in either, and say so when it is in only one). Other names
 * are warned about and ignored. {@code kubernetes_use_endpoint_slices} switches
 * {@code kube_endpoints} to EndpointSlices, as in the reference (which also checks the API
 * server's version; we do not).
 *
 * <p>The client comes from {@code kubernetes_kubeconfig_path} when set, else from fabric8's usual
 * discovery: the in-cluster service account, then {@code KUBECONFIG} or {@code ~/.kube/config}.
 */
public final class KubeAutodiscovery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeAutodiscovery.class);
  private static final Set<String> KNOWN = Set.of(KubeServicesSource.NAME, KubeEndpointsSource.NAME);

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final KubeProblems problems = new KubeProblems();
  private KubeServicesSource services;
  private KubeEndpointsSource endpoints;
  private CompletionStage<Void> synced = CompletableFuture.completedFuture(null);

  private KubeAutodiscovery(KubernetesClient client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
  }

  /** Which sources the settings enable. */
  public record Enabled(boolean services, boolean endpoints) {
    public boolean any() {
      return services || endpoints;
    }
  }

  /** Reads {@code extra_config_providers} and {@code extra_listeners}, logging what is ignored. */
  public static Enabled enabled(AgentSettings settings) {
    Set<String> providers = new HashSet<>(settings.extraConfigProviders());
    Set<String> listeners = new HashSet<>(settings.extraListeners());
    Set<String> all = new HashSet<>(providers);
    all.addAll(listeners);
    for (String name : all) {
      if (!KNOWN.contains(name)) {
        LOG.warn("extra_config_providers/extra_listeners: {} is not supported by clusterchecks; ignored", name);
      } else if (providers.contains(name) != listeners.contains(name)) {
        LOG.info("{} is only in {}; enabling it anyway (Datadog needs it in both extra_config_providers and"
            + " extra_listeners)", name, providers.contains(name) ? "extra_config_providers" : "extra_listeners");
      }
    }
    return new Enabled(all.contains(KubeServicesSource.NAME), all.contains(KubeEndpointsSource.NAME));
  }

  /** A client from the settings: the kubeconfig file when set, else in-cluster or the default kubeconfig. */
  public static KubernetesClient client(AgentSettings settings) {
    String path = settings.kubernetes().kubeconfigPath();
    if (path.isEmpty()) {
      return new KubernetesClientBuilder().build();
    }
    Path file = Path.of(path);
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read kubernetes_kubeconfig_path " + file + ": " + e.getMessage(), e);
    }
    return new KubernetesClientBuilder().withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(yaml)).build();
  }

  /**
   * Creates and starts the enabled sources; returns at once (the first lists complete in the
   * background, see {@link #synced()}).
   *
   * @param enabled the sources to start, from {@link #enabled}
   * @param client the client to use, or null to build one from the settings (then closed with this)
   */
  public static KubeAutodiscovery start(AgentSettings settings, Enabled enabled, KubernetesClient client,
      ConfigListener listener) {
    boolean owns = client == null;
    KubeAutodiscovery kube = new KubeAutodiscovery(owns ? client(settings) : client, owns);
    try {
      kube.startSources(settings, enabled, Objects.requireNonNull(listener, "listener"));
      return kube;
    } catch (RuntimeException e) {
      kube.close();
      throw e;
    }
  }

  private void startSources(AgentSettings settings, Enabled enabled, ConfigListener listener) {
    AgentSettings.Kubernetes k = settings.kubernetes();
    TemplateResolver resolver = new TemplateResolver(Set.copyOf(k.allowedEnvVars()), settings::env);
    KubeConfigs builder = new KubeConfigs(resolver, k.supportHybridIgnoreAdTags());
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    if (enabled.services()) {
      services = new KubeServicesSource(client, listener, builder, problems, k.informersResyncPeriod());
      starts.add(services.start().toCompletableFuture());
    }
    if (enabled.endpoints()) {
      endpoints = new KubeEndpointsSource(client, listener, builder, problems,
          settings.kubernetesUseEndpointSlices(), k.endpointSlicesIgnoreReadiness(), k.informersResyncPeriod());
      starts.add(endpoints.start().toCompletableFuture());
    }
    LOG.info("Kubernetes autodiscovery: {}{} against {}", enabled.services() ? "kube_services " : "",
        enabled.endpoints() ? "kube_endpoints (" + (settings.kubernetesUseEndpointSlices() ? "EndpointSlices" : "Endpoints")
            + ")" : "", client.getMasterUrl());
    synced = CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new));
  }

  /** Completes once every source has processed its first list. */
  public CompletionStage<Void> synced() {
    return synced;
  }

  /** Current annotation problems, by entity. */
  public Map<String, List<String>> problems() {
    return problems.snapshot();
  }

  /** Every config the Kubernetes sources have scheduled. */
  public List<Config> configs() {
    List<Config> all = new ArrayList<>();
    if (services != null) {
      all.addAll(services.configs());
    }
    if (endpoints != null) {
      all.addAll(endpoints.configs());
    }
    return all;
  }

  @Override
  public void close() {
    if (services != null) {
      services.close();
    }
    if (endpoints != null) {
      endpoints.close();
    }
    if (ownsClient) {
      client.close();
    }
  }
}
