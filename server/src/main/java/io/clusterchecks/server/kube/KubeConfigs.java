package io.clusterchecks.server.kube;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.server.kube.TemplateResolver.Port;
import io.clusterchecks.server.kube.TemplateResolver.ResolveException;
import io.clusterchecks.server.kube.TemplateResolver.Resolved;
import io.clusterchecks.server.kube.TemplateResolver.Target;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns an annotated Service (and, for endpoint checks, its endpoint addresses) into resolved
 * cluster check {@link Config}s, with the reference's identity strings (docs/reference/kubernetes-autodiscovery.md sections 1.5, 2.2, 6.1):
 *
 * <table>
 *   <caption>identity strings</caption>
 *   <tr><th></th><th>Service checks</th><th>endpoint checks</th></tr>
 *   <tr><td>entity, {@code service_id}</td><td>{@code kube_service://<ns>/<name>}</td>
 *       <td>{@code kube_endpoint_uid://<ns>/<name>/<ip>}</td></tr>
 *   <tr><td>{@code ad_identifiers}</td><td>{@code [kube_service://<ns>/<name>]}</td>
 *       <td>{@code [kube_endpoint_uid://<ns>/<name>/<ip>, kubernetes_pod://<pod uid>]} (pod only
 *       when pod-backed and resolve mode {@code auto})</td></tr>
 *   <tr><td>{@code source}</td><td>{@code kube_services:kube_service://<ns>/<name>}</td>
 *       <td>{@code kube_endpoints:kube_endpoint_uid://<ns>/<name>/}</td></tr>
 *   <tr><td>{@code provider}</td><td>{@code kubernetes-services}</td>
 *       <td>{@code kubernetes-endpoints} or {@code kubernetes-endpointslices}</td></tr>
 *   <tr><td>{@code node_name}</td><td>""</td><td>the pod's node when pod-backed and {@code auto}, else ""</td></tr>
 * </table>
 *
 * <p>Every config has {@code cluster_check: true}; the dispatcher serves the ones with a node name
 * as endpoint checks. A template that cannot be resolved is left out, with the reason among the
 * problems; the other templates of the same Service are still built.
 *
 * <p>Stateless and thread-safe.
 */
public final class KubeConfigs {
  public static final String SERVICES_PROVIDER = "kubernetes-services";
  public static final String ENDPOINTS_PROVIDER = "kubernetes-endpoints";
  public static final String ENDPOINTSLICES_PROVIDER = "kubernetes-endpointslices";
  public static final String RESOLVE_ANNOTATION = "ad.datadoghq.com/endpoints.resolve";
  static final String EXCLUDE_ANNOTATION = "ad.datadoghq.com/exclude";
  static final String METRICS_EXCLUDE_ANNOTATION = "ad.datadoghq.com/metrics_exclude";
  private static final List<String> STANDARD_TAGS = List.of("env", "service", "version");

  private final TemplateResolver resolver;
  private final boolean hybridIgnoreTags;

  public KubeConfigs(TemplateResolver resolver, boolean hybridIgnoreTags) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.hybridIgnoreTags = hybridIgnoreTags;
  }

  /** The configs of one Service (or of its endpoints), and what kept others from being built. */
  public record Built(Set<Config> configs, List<String> problems) {
    public static final Built NONE = new Built(Set.of(), List.of());

    public Built {
      configs = Collections.unmodifiableSet(new LinkedHashSet<>(configs));
      problems = List.copyOf(problems);
    }
  }

  /** One ready endpoint address with the ports of its subset or slice. */
  public record EndpointAddress(String ip, List<Port> ports, String podUid, String nodeName) {
    public EndpointAddress {
      ports = List.copyOf(ports);
    }
  }

  public static String serviceEntity(String namespace, String name) {
    return "kube_service://" + namespace + "/" + name;
  }

  /** The endpoints entity without an address, with its trailing slash. */
  public static String endpointsEntity(String namespace, String name) {
    return "kube_endpoint_uid://" + namespace + "/" + name + "/";
  }

  /** Whether the Service is excluded from monitoring by its annotations. */
  static boolean isExcluded(Service service) {
    Map<String, String> a = service.getMetadata().getAnnotations();
    return a != null && (AdAnnotations.parseGoBool(a.get(EXCLUDE_ANNOTATION))
        || AdAnnotations.parseGoBool(a.get(METRICS_EXCLUDE_ANNOTATION)));
  }

  // ---------------------------------------------------------------- Service checks

  /** The Service checks of {@code ad.datadoghq.com/service.*} annotations. */
  public Built forService(Service service) {
    AdAnnotations.Parsed parsed = AdAnnotations.parse(service.getMetadata().getAnnotations(),
        AdAnnotations.SERVICE, hybridIgnoreTags);
    if (parsed.isEmpty() || isExcluded(service)) {
      return Built.NONE;
    }
    String ns = service.getMetadata().getNamespace();
    String name = service.getMetadata().getName();
    String entity = serviceEntity(ns, name);
    List<String> problems = new ArrayList<>(parsed.errors());
    Target target = serviceTarget(service);
    Set<Config> configs = new LinkedHashSet<>();
    for (AdTemplate t : parsed.templates()) {
      try {
        Resolved r = resolver.resolve(t, target);
        configs.add(config(t, r)
            .adIdentifiers(List.of(entity))
            .serviceId(entity)
            .provider(SERVICES_PROVIDER)
            .source("kube_services:" + entity)
            .build());
      } catch (ResolveException e) {
        problems.add(label(t) + ": " + e.getMessage());
      }
    }
    return new Built(configs, problems);
  }

  private static Target serviceTarget(Service service) {
    String clusterIp = service.getSpec() == null ? null : service.getSpec().getClusterIP();
    String host = clusterIp;
    String noHost = null;
    if (clusterIp == null || clusterIp.isEmpty()) {
      host = null;
      noHost = "the Service has no cluster IP (type "
          + (service.getSpec() == null ? "unknown" : service.getSpec().getType()) + ")";
    } else if (clusterIp.equalsIgnoreCase("None")) {
      host = null;
      noHost = "the Service is headless (clusterIP: None); check its endpoints with"
          + " ad.datadoghq.com/endpoints.* annotations instead";
    }
    List<Port> ports = new ArrayList<>();
    if (service.getSpec() != null && service.getSpec().getPorts() != null) {
      for (ServicePort p : service.getSpec().getPorts()) {
        if (p.getPort() != null) {
          ports.add(new Port(p.getName(), p.getPort()));
        }
      }
    }
    ports.sort(Comparator.comparingInt(Port::port));
    List<String> tags = new ArrayList<>();
    tags.add("kube_service:" + service.getMetadata().getName());
    tags.add("kube_namespace:" + service.getMetadata().getNamespace());
    tags.addAll(standardTags(service));
    return new Target(host, noHost, ports, tags);
  }

  private static List<String> standardTags(Service service) {
    Map<String, String> labels = service.getMetadata().getLabels();
    List<String> tags = new ArrayList<>();
    if (labels != null) {
      for (String t : STANDARD_TAGS) {
        String v = labels.get("tags.datadoghq.com/" + t);
        if (v != null && !v.isEmpty()) {
          tags.add(t + ":" + v);
        }
      }
    }
    return tags;
  }

  // ---------------------------------------------------------------- endpoint checks

  /** How endpoint addresses become checks ({@code ad.datadoghq.com/endpoints.resolve}). */
  enum ResolveMode { AUTO, IP }

  /**
   * The parsed {@code ad.datadoghq.com/endpoints.*} templates of a Service. The caller expands
   * them with {@link #forEndpoints} once it has the addresses.
   */
  public AdAnnotations.Parsed endpointsTemplates(Service service) {
    if (isExcluded(service)) {
      return new AdAnnotations.Parsed(List.of(), List.of());
    }
    return AdAnnotations.parse(service.getMetadata().getAnnotations(), AdAnnotations.ENDPOINTS,
        hybridIgnoreTags);
  }

  /** One config per template and ready address. */
  public Built forEndpoints(Service service, AdAnnotations.Parsed parsed, List<EndpointAddress> addresses,
      String provider) {
    String ns = service.getMetadata().getNamespace();
    String name = service.getMetadata().getName();
    String base = endpointsEntity(ns, name);
    List<String> problems = new ArrayList<>(parsed.errors());
    Map<String, String> annotations = service.getMetadata().getAnnotations();
    String modeText = annotations == null ? null : annotations.get(RESOLVE_ANNOTATION);
    ResolveMode mode = ResolveMode.AUTO;
    if (modeText != null && !modeText.isEmpty()) {
      switch (modeText.trim().toLowerCase(Locale.ROOT)) {
        case "auto" -> mode = ResolveMode.AUTO;
        case "ip" -> mode = ResolveMode.IP;
        default -> problems.add(RESOLVE_ANNOTATION + ": unknown value '" + modeText + "', using auto");
      }
    }
    List<String> serviceTags = new ArrayList<>();
    serviceTags.add("kube_service:" + name);
    serviceTags.add("kube_namespace:" + ns);
    List<String> std = standardTags(service);
    Set<Config> configs = new LinkedHashSet<>();
    for (EndpointAddress address : addresses) {
      List<String> tags = new ArrayList<>(serviceTags);
      tags.add("kube_endpoint_ip:" + address.ip());
      tags.addAll(std);
      Target target = new Target(address.ip(), null, address.ports(), tags);
      String serviceId = base + address.ip();
      boolean pod = mode == ResolveMode.AUTO && address.podUid() != null && !address.podUid().isEmpty();
      List<String> adIds = pod ? List.of(serviceId, "kubernetes_pod://" + address.podUid()) : List.of(serviceId);
      String node = pod && address.nodeName() != null ? address.nodeName() : "";
      for (AdTemplate t : parsed.templates()) {
        try {
          Resolved r = resolver.resolve(t, target);
          configs.add(config(t, r)
              .adIdentifiers(adIds)
              .serviceId(serviceId)
              .nodeName(node)
              .provider(provider)
              .source("kube_endpoints:" + base)
              .build());
        } catch (ResolveException e) {
          problems.add(label(t) + " on " + address.ip() + ": " + e.getMessage());
        }
      }
    }
    return new Built(configs, problems);
  }

  // ---------------------------------------------------------------- common

  private static Config.Builder config(AdTemplate t, Resolved r) {
    Config.Builder b = Config.builder(t.checkName())
        .instances(r.instances())
        .initConfig(r.initConfig())
        .logs(r.logs())
        .clusterCheck(true)
        .ignoreAutodiscoveryTags(t.ignoreAutodiscoveryTags())
        .checkTagCardinality(t.checkTagCardinality());
    return b;
  }

  private static String label(AdTemplate t) {
    if (t.isLogsOnly()) {
      return "logs";
    }
    return t.checkName().isEmpty() ? "(unnamed check)" : t.checkName();
  }
}
