package io.clusterchecks.server.kube;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigListener;
import io.clusterchecks.server.kube.KubeConfigs.EndpointAddress;
import io.clusterchecks.server.kube.TemplateResolver.Port;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kube_endpoints} source: endpoint checks from {@code ad.datadoghq.com/endpoints.*}
 * annotations on Services, one config per ready address of the Service's Endpoints object, or of
 * its EndpointSlices when {@code kubernetes_use_endpoint_slices} is on (docs/reference/kubernetes-autodiscovery.md section 2). Pod-backed addresses become endpoint checks for the pod's node; other addresses (and every
 * address with {@code endpoints.resolve: ip}) become plain cluster checks.
 *
 * <p>Two informers: Services, and Endpoints or EndpointSlices. Any event on either rebuilds the
 * Service's configs from both caches and hands the listener only the difference. So an Endpoints
 * object created after its Service is picked up at once (the reference waits for the next
 * invalidation), scaling adds or removes exactly the addresses that changed, and a resync or a
 * re-list changes nothing.
 *
 * <p>Skipped addresses: {@code notReadyAddresses} of Endpoints; EndpointSlice endpoints whose
 * {@code ready} condition is false or that are {@code terminating} (a missing {@code ready} counts
 * as ready), unless {@code ignoreReadiness}. An address listed twice (two slices during a
 * rollout) gives one config.
 */
public final class KubeEndpointsSource implements AutoCloseable {
  public static final String NAME = "kube_endpoints";
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  private static final String BY_SERVICE = "clusterchecks.io/service";
  private static final String LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader";
  private static final Logger LOG = LoggerFactory.getLogger(KubeEndpointsSource.class);

  private final KubernetesClient client;
  private final KubeConfigs builder;
  private final KubeProblems problems;
  private final Duration resync;
  private final boolean useSlices;
  private final boolean ignoreReadiness;
  private final ConfigTracker tracker;
  private final AtomicLong events = new AtomicLong();
  private SharedIndexInformer<Service> services;
  private SharedIndexInformer<Endpoints> endpoints;
  private SharedIndexInformer<EndpointSlice> slices;

  /**
   * @param useSlices read EndpointSlices (discovery.k8s.io/v1) instead of Endpoints
   * @param ignoreReadiness with slices, also use endpoints that are not ready or are terminating
   * @param resync how often the informers replay their caches (a safety net; zero for never)
   */
  public KubeEndpointsSource(KubernetesClient client, ConfigListener listener, KubeConfigs builder,
      KubeProblems problems, boolean useSlices, boolean ignoreReadiness, Duration resync) {
    this.client = Objects.requireNonNull(client, "client");
    this.builder = Objects.requireNonNull(builder, "builder");
    this.problems = Objects.requireNonNull(problems, "problems");
    this.useSlices = useSlices;
    this.ignoreReadiness = ignoreReadiness;
    this.resync = Objects.requireNonNull(resync, "resync");
    this.tracker = new ConfigTracker(NAME, listener);
  }

  /** The provider string of the configs ({@code kubernetes-endpoints} or {@code -endpointslices}). */
  public String provider() {
    return useSlices ? KubeConfigs.ENDPOINTSLICES_PROVIDER : KubeConfigs.ENDPOINTS_PROVIDER;
  }

  /** Starts both informers; completes once both first lists are processed. */
  public synchronized CompletionStage<Void> start() {
    if (services != null) {
      throw new IllegalStateException("already started");
    }
    long resyncMillis = resync.toMillis();
    services = client.services().inAnyNamespace().runnableInformer(resyncMillis);
    services.addEventHandler(handler(s -> reconcile(key(s)), (o, n) -> reconcile(key(n))));
    services.exceptionHandler((started, t) -> retry("Services", t));
    CompletionStage<Void> second;
    if (useSlices) {
      slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(resyncMillis);
      slices.addIndexers(Map.of(BY_SERVICE, s -> {
        String svc = serviceOf(s);
        return svc == null ? List.of() : List.of(s.getMetadata().getNamespace() + "/" + svc);
      }));
      slices.addEventHandler(handler(this::sliceChanged, (o, n) -> {
        sliceChanged(n);
        if (!Objects.equals(serviceOf(o), serviceOf(n))) {
          sliceChanged(o);
        }
      }));
      slices.exceptionHandler((started, t) -> retry("EndpointSlices", t));
      second = slices.start();
    } else {
      endpoints = client.endpoints().inAnyNamespace().runnableInformer(resyncMillis);
      endpoints.addEventHandler(handler(e -> reconcile(key(e)), (o, n) -> reconcile(key(n))));
      endpoints.exceptionHandler((started, t) -> retry("Endpoints", t));
      second = endpoints.start();
    }
    CompletionStage<Void> first = services.start();
    // Both informers' starts complete once their stores hold the first lists; the handlers see
    // those objects later. Reconciling every Service here (idempotent) makes "started" mean
    // "processed", as for the Services source.
    return CompletableFuture.allOf(first.toCompletableFuture(), second.toCompletableFuture())
        .thenRun(() -> services.getStore().list().forEach(s -> reconcile(key(s))))
        .whenComplete((v, e) -> {
          if (e == null) {
            LOG.info("{}: watching Services and {}; {} config(s) from {} annotated Service(s)", NAME,
                useSlices ? "EndpointSlices" : "Endpoints", tracker.configs().size(), tracker.services().size());
          }
        });
  }

  private static boolean retry(String what, Throwable t) {
    LOG.warn("{}: watching {} failed ({}); retrying", NAME, what, t.toString());
    return true;
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> onAny, BiConsumer<T, T> onUpdate) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onAny.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        onUpdate.accept(oldObj, newObj);
      }

      @Override
      public void onDelete(T obj, boolean finalStateUnknown) {
        onAny.accept(obj);
      }
    };
  }

  private static String key(HasMetadata o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  private static String serviceOf(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    return labels == null ? null : labels.get(SERVICE_NAME_LABEL);
  }

  private void sliceChanged(EndpointSlice slice) {
    String svc = serviceOf(slice);
    if (svc != null) {
      reconcile(slice.getMetadata().getNamespace() + "/" + svc);
    }
  }

  /** Rebuilds one Service's endpoint configs from the caches. */
  private void reconcile(String key) {
    events.incrementAndGet();
    try {
      synchronized (this) {
        int slash = key.indexOf('/');
        String entity = KubeConfigs.endpointsEntity(key.substring(0, slash), key.substring(slash + 1));
        Service service = services.getStore().getByKey(key);
        if (service == null
            || !AdAnnotations.hasAnnotations(service.getMetadata().getAnnotations(), AdAnnotations.ENDPOINTS)) {
          tracker.update(key, Set.of());
          problems.clear(NAME, entity, key);
          return;
        }
        AdAnnotations.Parsed parsed = builder.endpointsTemplates(service);
        List<EndpointAddress> addresses = useSlices ? fromSlices(key) : fromEndpoints(key);
        KubeConfigs.Built built = builder.forEndpoints(service, parsed, addresses, provider());
        tracker.update(key, built.configs());
        problems.set(NAME, entity, key, built.problems());
      }
    } catch (RuntimeException e) {
      LOG.error("{}: cannot process the endpoints of Service {}", NAME, key, e);
    }
  }

  private List<EndpointAddress> fromEndpoints(String key) {
    Endpoints ep = endpoints.getStore().getByKey(key);
    List<EndpointAddress> out = new ArrayList<>();
    if (ep == null || ep.getSubsets() == null) {
      return out;
    }
    Map<String, String> annotations = ep.getMetadata().getAnnotations();
    if (annotations != null && annotations.containsKey(LEADER_ANNOTATION)) {
      return out; // a leader-election lock, not a workload
    }
    Set<String> seen = new HashSet<>();
    for (EndpointSubset subset : ep.getSubsets()) {
      List<Port> ports = new ArrayList<>();
      if (subset.getPorts() != null) {
        for (io.fabric8.kubernetes.api.model.EndpointPort p : subset.getPorts()) {
          if (p.getPort() != null) {
            ports.add(new Port(p.getName(), p.getPort()));
          }
        }
      }
      if (subset.getAddresses() == null) {
        continue;
      }
      for (io.fabric8.kubernetes.api.model.EndpointAddress a : subset.getAddresses()) {
        if (a.getIp() != null && seen.add(a.getIp())) {
          out.add(new EndpointAddress(a.getIp(), ports, podUid(a.getTargetRef()), a.getNodeName()));
        }
      }
    }
    return out;
  }

  private List<EndpointAddress> fromSlices(String key) {
    List<EndpointSlice> list = new ArrayList<>(slices.getIndexer().byIndex(BY_SERVICE, key));
    list.sort(Comparator.comparing(s -> s.getMetadata().getName()));
    List<EndpointAddress> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (EndpointSlice slice : list) {
      List<Port> ports = new ArrayList<>();
      if (slice.getPorts() != null) {
        for (io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort p : slice.getPorts()) {
          if (p.getPort() != null) {
            ports.add(new Port(p.getName(), p.getPort()));
          }
        }
      }
      if (slice.getEndpoints() == null) {
        continue;
      }
      for (Endpoint e : slice.getEndpoints()) {
        if (!ignoreReadiness && !serving(e.getConditions())) {
          continue;
        }
        if (e.getAddresses() == null) {
          continue;
        }
        for (String ip : e.getAddresses()) {
          if (ip != null && seen.add(ip)) {
            out.add(new EndpointAddress(ip, ports, podUid(e.getTargetRef()), e.getNodeName()));
          }
        }
      }
    }
    return out;
  }

  /** Ready (a missing condition counts as ready) and not terminating. */
  static boolean serving(EndpointConditions c) {
    if (c == null) {
      return true;
    }
    return !Boolean.FALSE.equals(c.getReady()) && !Boolean.TRUE.equals(c.getTerminating());
  }

  private static String podUid(ObjectReference ref) {
    return ref != null && "Pod".equals(ref.getKind()) && ref.getUid() != null && !ref.getUid().isEmpty()
        ? ref.getUid() : null;
  }

  /** How many events (resyncs included) have been processed; for tests and debugging. */
  long eventsProcessed() {
    return events.get();
  }

  /** The configs scheduled now, ordered by Service. */
  public List<Config> configs() {
    return tracker.configs();
  }

  /** Stops watching. Scheduled configs stay scheduled: the listener is not called. */
  @Override
  public synchronized void close() {
    if (services != null) {
      services.stop();
    }
    if (endpoints != null) {
      endpoints.stop();
    }
    if (slices != null) {
      slices.stop();
    }
  }
}
