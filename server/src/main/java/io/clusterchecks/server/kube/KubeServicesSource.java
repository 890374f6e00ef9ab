package io.clusterchecks.server.kube;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigListener;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kube_services} source: cluster checks from {@code ad.datadoghq.com/service.*}
 * annotations on Services (docs/reference/kubernetes-autodiscovery.md section 1), kept up to date by an informer.
 *
 * <p>Every Service event (add, update, delete, resync, the re-list after a watch reconnect)
 * rebuilds that Service's configs from the informer's cache and hands the listener only the
 * difference, by value ({@link ConfigTracker}). An annotation edit thus unschedules exactly the
 * old config and schedules the new one at once; the reference waits for its next poll and may
 * miss edits. Problems (bad JSON, unknown variables, a headless Service with {@code %%host%%}) go
 * to {@link KubeProblems}, keyed {@code kube_service://<ns>/<name>}; the Service's other checks
 * and every other Service are unaffected.
 */
public final class KubeServicesSource implements AutoCloseable {
  public static final String NAME = "kube_services";
  private static final Logger LOG = LoggerFactory.getLogger(KubeServicesSource.class);

  private final KubernetesClient client;
  private final KubeConfigs builder;
  private final KubeProblems problems;
  private final Duration resync;
  private final ConfigTracker tracker;
  private final AtomicLong events = new AtomicLong();
  private SharedIndexInformer<Service> informer;

  /**
   * @param resync how often the informer replays its cache (a safety net; zero for never)
   */
  public KubeServicesSource(KubernetesClient client, ConfigListener listener, KubeConfigs builder,
      KubeProblems problems, Duration resync) {
    this.client = Objects.requireNonNull(client, "client");
    this.builder = Objects.requireNonNull(builder, "builder");
    this.problems = Objects.requireNonNull(problems, "problems");
    this.resync = Objects.requireNonNull(resync, "resync");
    this.tracker = new ConfigTracker(NAME, listener);
  }

  /** Starts watching Services in every namespace; completes once the first list is processed. */
  public synchronized CompletionStage<Void> start() {
    if (informer != null) {
      throw new IllegalStateException("already started");
    }
    informer = client.services().inAnyNamespace().runnableInformer(resync.toMillis());
    informer.addEventHandler(new ResourceEventHandler<Service>() {
      @Override
      public void onAdd(Service s) {
        reconcile(s);
      }

      @Override
      public void onUpdate(Service oldService, Service s) {
        reconcile(s);
      }

      @Override
      public void onDelete(Service s, boolean finalStateUnknown) {
        reconcile(s);
      }
    });
    informer.exceptionHandler((started, t) -> {
      LOG.warn("{}: watching Services failed ({}); retrying", NAME, t.toString());
      return true;
    });
    // The informer's start completes once its store holds the first list, but the handlers get
    // those objects later on the informer's own thread. Reconciling the store here (idempotent:
    // the tracker and the problems keep values, not events) makes "started" mean "processed".
    return informer.start().thenRun(() -> informer.getStore().list().forEach(this::reconcile)).whenComplete((v, e) -> {
      if (e == null) {
        LOG.info("{}: watching Services; {} config(s) from {} annotated Service(s)", NAME,
            tracker.configs().size(), tracker.services().size());
      }
    });
  }

  private void reconcile(HasMetadata object) {
    events.incrementAndGet();
    String ns = object.getMetadata().getNamespace();
    String name = object.getMetadata().getName();
    String key = ns + "/" + name;
    try {
      synchronized (this) {
        Service current = informer.getStore().getByKey(key);
        String entity = KubeConfigs.serviceEntity(ns, name);
        KubeConfigs.Built built = current == null ? KubeConfigs.Built.NONE : builder.forService(current);
        tracker.update(key, built.configs());
        if (current == null) {
          problems.clear(NAME, entity, key);
        } else {
          problems.set(NAME, entity, key, built.problems());
        }
      }
    } catch (RuntimeException e) {
      LOG.error("{}: cannot process Service {}", NAME, key, e);
    }
  }

  /** How many events (resyncs included) have been processed; for tests and debugging. */
  long eventsProcessed() {
    return events.get();
  }

  /** The configs scheduled now, ordered by Service. */
  public List<Config> configs() {
    return tracker.configs();
  }

  /** Whether the first list of Services has been processed. */
  public synchronized boolean hasSynced() {
    return informer != null && informer.hasSynced();
  }

  /** Stops watching. Scheduled configs stay scheduled: the listener is not called. */
  @Override
  public synchronized void close() {
    if (informer != null) {
      informer.stop();
    }
  }
}
