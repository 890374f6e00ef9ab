package io.clusterchecks.server.ha;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.clusterchecks.core.config.ConfigCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * {@link LeadershipHandler#acceptPlacement}. A failed pull keeps the previous copy; it is logged
 * once per failure streak. Nothing is pulled while leading or while no leader is known.
 */
public final class PlacementPuller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PlacementPuller.class);

  /** The leader-only internal endpoint (documented in docs/api.md). */
  public static final String PATH = "/api/v1/clusterchecks/placement";
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(3);

  /** The endpoint's JSON body: digest to worker name, and the copy's version token (term, counter). */
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
  public record PlacementResponse(@JsonProperty("placement") Map<String, String> placement,
      @JsonProperty("version") long version) {
    public PlacementResponse {
      placement = placement == null ? Map.of() : placement;
    }
  }

  private final LeadershipHandler handler;
  private final HttpClient http;
  /** The newest token, asked at every pull, since a token file may rotate it. */
  private final Supplier<String> token;
  private final boolean tls;
  private final Duration interval;
  private final ScheduledExecutorService scheduler;
  /** Only touched by the scheduler thread. */
  private int failures;
  /**
   * The copy last handed to the handler, from which leader, with which ETag: sent back so an
   * unchanged placement costs no body, but only while the handler still holds that very copy (on
   * stepping down it takes its own placement instead).
   */
  private Map<String, String> accepted;
  private LeaderAddress copiedFrom;
  private String etag;
  private volatile long copies;
  private volatile long unchanged;

  /**
   * @param token the shared token ({@code cluster_agent.auth_token}); never logged
   * @param tls whether the leader serves HTTPS
   */
  public PlacementPuller(LeadershipHandler handler, LeaderForwarder forwarder, String token, boolean tls,
      Duration interval) {
    this(handler, forwarder, constant(Objects.requireNonNull(token, "token")), tls, interval);
  }

  /** As above, with the token asked for at every pull (a rotated one is used from then on). */
  public PlacementPuller(LeadershipHandler handler, LeaderForwarder forwarder,
      Supplier<String> token, boolean tls, Duration interval) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.http = forwarder.http();
    this.token = Objects.requireNonNull(token, "token");
    this.tls = tls;
    this.interval = Objects.requireNonNull(interval, "interval");
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

  /** One pull; returns whether a copy was taken. */
  boolean pullOnce() {
    Optional<LeaderAddress> followed = handler.followedLeader();
    if (followed.isEmpty()) {
      return false;
    }
    LeaderAddress leader = followed.get();
    URI uri = URI.create(leader.baseUri(tls) + PATH);
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
        .timeout(LeaderForwarder.HEADER_TIMEOUT)
        .header("Authorization", "Bearer " + token.get())
        .header("Accept", "application/json")
        .GET();
    if (etag != null && leader.equals(copiedFrom) && handler.warmCopy() == accepted) {
      builder.header("If-None-Match", etag);
    }
    try {
      HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() == 304) {
        unchanged++;
        worked(leader, handler.warmCopy().size());
        return true;
      }
      if (response.statusCode() != 200) {
        return failed(leader, "HTTP " + response.statusCode());
      }
      PlacementResponse body = ConfigCodec.fromJson(response.body(), PlacementResponse.class);
      accepted = handler.acceptPlacement(leader, body.version(), body.placement());
      copiedFrom = leader;
      etag = accepted == null ? null : response.headers().firstValue("ETag").orElse(null);
      copies++;
      worked(leader, body.placement().size());
      LOG.debug("Placement copied from the leader {}: {} configs", leader, body.placement().size());
      return true;
    } catch (IOException e) {
      return failed(leader, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void worked(LeaderAddress leader, int size) {
    if (failures > 0) {
      LOG.info("Placement pull from the leader {} works again: {} configs", leader, size);
    }
    failures = 0;
  }

  /** Pulls answered with a body (a new copy) and with 304 (unchanged); for tests and debugging. */
  long[] counts() {
    return new long[] {copies, unchanged};
  }

  private boolean failed(LeaderAddress leader, String why) {
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
