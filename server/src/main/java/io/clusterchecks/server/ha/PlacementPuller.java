package io.clusterchecks.server.ha;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.clusterchecks.core.config.ConfigCodec;
import io.clusterchecks.core.dispatch.PlacementCopy;
import io.clusterchecks.core.dispatch.PlacementDelta;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's warm copy of the leader's placement: every {@code interval} it GETs
 * {@value #PATH} from the leader (with the shared token) and hands the answer to
 * {@link LeadershipHandler}. Once it holds a copy it pulled, it asks only for what changed since
 * that copy's version ({@code ?since=}); the leader answers those changes
 * ({@link LeadershipHandler#acceptPlacementChanges}), or the whole placement when its journal no
 * longer reaches back that far, the version is of another term, or it is a leader that does not
 * know {@code since} ({@link LeadershipHandler#acceptPlacement}). A failed pull keeps the previous
 * copy; it is logged once per failure streak. Nothing is pulled while leading or while no leader
 * is known. Pulls and the bytes of their answers are counted ({@link PlacementPullMetrics}).
 */
public final class PlacementPuller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PlacementPuller.class);

  /** The leader-only internal endpoint (documented in docs/api.md). */
  public static final String PATH = "/api/v1/clusterchecks/placement";
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(3);

  /**
   * The endpoint's JSON body: either the whole placement (digest to worker name) with its version
   * token (term, counter), or, when {@code since} is present, the changes from the placement of
   * version {@code since} to that of {@code version}.
   */
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
  public record PlacementResponse(@JsonProperty("placement") Map<String, String> placement,
      @JsonProperty("version") long version, @JsonProperty("since") Long since,
      @JsonProperty("placed") Map<String, String> placed, @JsonProperty("removed") List<String> removed) {
    public PlacementResponse {
      placement = placement == null ? Map.of() : placement;
    }

    /** The changes, when this answer is a delta; an IOException when they name no digest or worker. */
    Optional<PlacementDelta> delta() throws IOException {
      if (since == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(new PlacementDelta(since, version, placed == null ? Map.of() : placed,
            removed == null ? List.of() : removed));
      } catch (NullPointerException e) {
        throw new IOException("changes with a null digest or worker", e);
      }
    }
  }

  private final LeadershipHandler handler;
  private final HttpClient http;
  /** The newest token, asked at every pull, since a token file may rotate it. */
  private final Supplier<String> token;
  private final boolean tls;
  private final Duration interval;
  /** Whether to ask for the changes since the copy held ({@code leader_election_placement_deltas}). */
  private final boolean deltas;
  private final PlacementPullMetrics metrics;
  private final ScheduledExecutorService scheduler;
  /** Only touched by the scheduler thread. */
  private int failures;
  /**
   * The copy last handed to the handler, from which leader, with which ETag: sent back (with its
   * version as {@code since}) so an unchanged placement costs no body and a changed one only its
   * changes, but only while the handler still holds that very copy (on stepping down it takes
   * its own placement instead).
   */
  private Map<String, String> accepted;
  private LeaderAddress copiedFrom;
  private String etag;

  /**
   * @param token the shared token ({@code cluster_agent.auth_token}); never logged
   * @param tls whether the leader serves HTTPS
   */
  public PlacementPuller(LeadershipHandler handler, LeaderForwarder forwarder, String token, boolean tls,
      Duration interval) {
    this(handler, forwarder, constant(Objects.requireNonNull(token, "token")), tls, interval, true,
        new SimpleMeterRegistry());
  }

  /**
   * As above, with the token asked for at every pull (a rotated one is used from then on).
   *
   * @param deltas ask for the changes since the copy held rather than the whole placement
   * @param registry where the pull counters go
   */
  public PlacementPuller(LeadershipHandler handler, LeaderForwarder forwarder,
      Supplier<String> token, boolean tls, Duration interval, boolean deltas, MeterRegistry registry) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.http = forwarder.http();
    this.token = Objects.requireNonNull(token, "token");
    this.tls = tls;
    this.interval = Objects.requireNonNull(interval, "interval");
    this.deltas = deltas;
    this.metrics = new PlacementPullMetrics(registry);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "placement-puller");
      t.setDaemon(true);
      return t;
    });
  }

  private static Supplier<String> constant(String token) {
    return () -> token;
  }

  public PlacementPuller start() {
    scheduler.scheduleWithFixedDelay(this::pullQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void pullQuietly() {
    try {
      pullOnce();
    } catch (RuntimeException e) {
      LOG.warn("Placement pull failed unexpectedly", e);
    }
  }

  /** One pull; returns whether the copy held is now the leader's. */
  boolean pullOnce() {
    Optional<LeaderAddress> followed = handler.followedLeader();
    if (followed.isEmpty()) {
      return false;
    }
    LeaderAddress leader = followed.get();
    PlacementCopy held = handler.heldCopy();
    boolean ours = etag != null && leader.equals(copiedFrom) && held.byDigest() == accepted;
    long since = ours && deltas ? held.version() : 0;
    URI uri = URI.create(leader.baseUri(tls) + PATH + (since > 0 ? "?since=" + since : ""));
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
        .timeout(LeaderForwarder.HEADER_TIMEOUT)
        .header("Authorization", "Bearer " + token.get())
        .header("Accept", "application/json")
        .GET();
    if (ours) {
      builder.header("If-None-Match", etag);
    }
    try {
      HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() == 304) {
        metrics.pulled(PlacementPullMetrics.Answer.UNCHANGED, 0);
        worked(leader, held.byDigest().size());
        return true;
      }
      if (response.statusCode() != 200) {
        return failed(leader, "HTTP " + response.statusCode(), response.body().length);
      }
      PlacementResponse body = ConfigCodec.fromJson(response.body(), PlacementResponse.class);
      String newEtag = response.headers().firstValue("ETag").orElse(null);
      Optional<PlacementDelta> delta = body.delta();
      if (delta.isPresent()) {
        return applied(leader, delta.get(), newEtag, response.body().length);
      }
      accepted = handler.acceptPlacement(leader, body.version(), body.placement());
      copiedFrom = leader;
      etag = accepted == null ? null : newEtag;
      metrics.pulled(PlacementPullMetrics.Answer.WHOLE, response.body().length);
      worked(leader, body.placement().size());
      LOG.info("Placement copied whole from the leader {}: {} configs, version {}, {} bytes{}", leader,
          body.placement().size(), body.version(), response.body().length,
          since > 0 ? " (it no longer has the changes since " + since + ")" : "");
      return accepted != null;
    } catch (IOException e) {
      // A body that is not the endpoint's JSON is a failed pull like a lost connection.
      return failed(leader, e.toString(), 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A delta answer: applied to the copy held if it is still the one asked about. */
  private boolean applied(LeaderAddress leader, PlacementDelta delta, String newEtag, int bytes) {
    Map<String, String> next = handler.acceptPlacementChanges(leader, delta);
    if (next == null) {
      // The copy changed meanwhile (or the answer is not about it): ask for the whole next time.
      etag = null;
      return failed(leader, "changes since " + delta.since() + " do not apply to the copy held", bytes);
    }
    accepted = next;
    copiedFrom = leader;
    etag = newEtag;
    metrics.pulled(PlacementPullMetrics.Answer.DELTA, bytes);
    worked(leader, next.size());
    LOG.debug("Placement changes from the leader {}: {} since version {}, now version {} ({} configs), {} bytes",
        leader, delta.size(), delta.since(), delta.version(), next.size(), bytes);
    return true;
  }

  private void worked(LeaderAddress leader, int size) {
    if (failures > 0) {
      LOG.info("Placement pull from the leader {} works again: {} configs", leader, size);
    }
    failures = 0;
  }

  /** Pulls answered with the whole placement, with changes, and with 304 (unchanged); for tests. */
  long[] counts() {
    return new long[] {metrics.pulls(PlacementPullMetrics.Answer.WHOLE), metrics.pulls(PlacementPullMetrics.Answer.DELTA),
        metrics.pulls(PlacementPullMetrics.Answer.UNCHANGED)};
  }

  /** Bytes of the answers' bodies received, whole and delta; for tests. */
  long[] bytes() {
    return new long[] {metrics.bytes(PlacementPullMetrics.Answer.WHOLE), metrics.bytes(PlacementPullMetrics.Answer.DELTA)};
  }

  private boolean failed(LeaderAddress leader, String why, int bytes) {
    metrics.pulled(PlacementPullMetrics.Answer.FAILED, bytes);
    if (failures++ == 0) {
      LOG.warn("Cannot copy the placement from the leader {}: {}; keeping the previous copy of {} configs"
          + " (logged once until it works again)", leader, why, handler.warmCopy().size());
    }
    return false;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
