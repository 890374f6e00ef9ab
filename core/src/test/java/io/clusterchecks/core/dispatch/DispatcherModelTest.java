package io.clusterchecks.core.dispatch;

import static io.clusterchecks.core.dispatch.DispatcherFixture.clusterCheck;
import static org.assertj.core.api.Assertions.assertThat;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.Digests;
import io.clusterchecks.core.wire.NodeStatus;
import io.clusterchecks.core.wire.NodeType;
import io.clusterchecks.core.wire.StateResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Model-based test of the dispatcher: random sequences of source changes, worker statuses (some
 * landing in the middle of the dispatch thread's work, as HTTP threads do), time passing,
 * leadership lost and gained (each new leader starting from the previous one's placement),
 * rebalance and isolate, against a small model of what must be true: which configs exist, which
 * workers are live, and when a config may wait. After every step, with the dispatch thread
 * drained:
 * <ul>
 *   <li>every scheduled config is in exactly one place, on a node or waiting; none is invented
 *       or lost;
 *   <li>a config is on a worker that is live (reported within the timeout), or on a worker the
 *       previous placement names and that is still within its grace after the leadership start;
 *   <li>a config waits only when no worker is live, or within the arrival window after the first
 *       worker reported while none was;
 *   <li>every live worker is registered (a heartbeat racing its expiry wins), and its published
 *       snapshot is what the consistent view says;
 *   <li>nothing is registered while not leading (a status racing the step-down included);
 *   <li>a version token never stands for two different things, and a worker's tokens never go
 *       back.
 * </ul>
 */
class DispatcherModelTest {
  private static final int CONFIGS = 12;
  private static final int NODES = 5;
  private static final DispatcherSettings SETTINGS = DispatcherSettings.defaults()
      .withNodeExpirationTimeout(Duration.ofSeconds(20))
      .withWarmupDuration(Duration.ofSeconds(4))
      .withUnscheduledCheckThreshold(Duration.ofSeconds(40))
      .withArrivalWindow(Duration.ofSeconds(6));
  private static final long TIMEOUT = SETTINGS.nodeExpirationTimeout().toMillis();
  private static final long WARMUP = SETTINGS.warmupDuration().toMillis();
  private static final long WINDOW = SETTINGS.arrivalWindow().toMillis();

  /** The system under test and the model of it. */
  static final class World {
    final SteppedDispatchThread thread = new SteppedDispatchThread();
    final Dispatcher d = new Dispatcher(SETTINGS, thread, thread, new SimpleMeterRegistry());

    // ---- the model
    final Set<Integer> configs = new TreeSet<>();
    boolean leading;
    long term;
    long leadershipStart;
    /** Workers named by the placement this leadership started from. */
    Set<String> copiedWorkers = Set.of();
    /** Last status each worker sent while this replica led, in this leadership. */
    final Map<String, Long> lastReport = new HashMap<>();
    /** When a worker last reported while none was live. */
    long firstArrival = Long.MIN_VALUE / 2;
    /** The version token each worker last fetched, as a worker keeps it. */
    final Map<String, Long> held = new HashMap<>();
    Map<String, String> warmCopy = Map.of();

    // ---- what was seen, for the version token checks
    final Map<Long, String> tokenMeaning = new HashMap<>();
    final Map<String, Long> lastToken = new HashMap<>();

    long now() {
      return thread.time.millis();
    }

    boolean live(String node) {
      Long last = lastReport.get(node);
      return last != null && now() - last < TIMEOUT;
    }

    boolean anyLive() {
      return lastReport.keySet().stream().anyMatch(this::live);
    }

    boolean active() {
      return leading && now() >= leadershipStart + WARMUP;
    }

    /** A worker's status from an HTTP thread; when told it is stale it fetches, as agents do. */
    void status(String node) {
      boolean wasLeading = d.isLeading();
      long echo = held.getOrDefault(node, 0L);
      boolean upToDate = d.processNodeStatus(node, "", new NodeStatus(echo, NodeType.CLC_RUNNER));
      if (wasLeading && leading) {
        if (!anyLive()) {
          firstArrival = now();
        }
        lastReport.put(node, now());
      }
      if (!upToDate) {
        d.nodeConfigs(node).ifPresent(c -> held.put(node, c.lastChange()));
      }
    }

    void lead() {
      term++;
      thread.hold();
      d.start(term, warmCopy);
      thread.settle();
      leading = true;
      leadershipStart = now();
      copiedWorkers = new HashSet<>(warmCopy.values());
      lastReport.clear();
      firstArrival = Long.MIN_VALUE / 2;
    }

    void stepDown(Optional<String> racingStatus) {
      thread.hold();
      var last = d.stop();
      // A status that passed "leading?" just before the stop ran registers nothing after it.
      racingStatus.ifPresent(node -> {
        thread.drainAtNextOutsideRead();
        status(node);
      });
      thread.settle();
      leading = false;
      lastReport.clear();
      PlacementCopy copy = last.join();
      noteToken(copy.version(), "placement " + new TreeMap<>(copy.byDigest()));
      if (!copy.byDigest().isEmpty()) {
        warmCopy = copy.byDigest();
      }
    }

    void noteToken(long token, String meaning) {
      if (token == 0) {
        return;
      }
      String before = tokenMeaning.putIfAbsent(token, meaning);
      assertThat(before == null || before.equals(meaning))
          .as("token %d stands for %s and for %s", token, before, meaning).isTrue();
    }

    // ---- the invariants

    void check() {
      assertThat(d.isLeading()).isEqualTo(leading);
      StateResponse view = d.state();
      if (!leading) {
        assertThat(view.nodes()).as("a follower holds no nodes").isEmpty();
        assertThat(d.stats().nodeCount()).isZero();
        for (int i = 0; i < NODES; i++) {
          assertThat(d.nodeConfigs("n" + i)).as("n%d registered while not leading", i).isEmpty();
        }
        return;
      }
      assertThat(d.stats().totalConfigs()).as("configs known").isEqualTo(configs.size());
      Set<String> registered = new HashSet<>();
      view.nodes().forEach(n -> registered.add(n.name()));
      for (String node : lastReport.keySet()) {
        if (live(node)) {
          assertThat(registered).as("live worker %s is registered", node).contains(node);
        }
      }
      if (!active()) {
        assertThat(view.nodes()).allSatisfy(n -> assertThat(n.configs()).isEmpty());
        assertThat(view.dangling()).isEmpty();
        checkTokens(view);
        return;
      }
      Set<String> placed = new HashSet<>();
      for (StateResponse.Node n : view.nodes()) {
        boolean provisional = !lastReport.containsKey(n.name()) && copiedWorkers.contains(n.name())
            && now() < leadershipStart + TIMEOUT;
        assertThat(live(n.name()) || provisional)
            .as("%s holds a node but is neither live nor within its grace", n.name()).isTrue();
        for (Config c : n.configs()) {
          assertThat(placed.add(c.checkName())).as("%s is in two places", c.checkName()).isTrue();
        }
      }
      for (Config c : view.dangling()) {
        assertThat(placed.add(c.checkName())).as("%s is in two places", c.checkName()).isTrue();
      }
      Set<String> expected = new HashSet<>();
      configs.forEach(i -> expected.add("c" + i));
      assertThat(placed).as("no config invented or lost").isEqualTo(expected);
      if (!view.dangling().isEmpty() && anyLive()) {
        assertThat(now()).as("configs wait while a worker is live, past the arrival window")
            .isLessThan(firstArrival + WINDOW);
      }
      checkTokens(view);
    }

    private void checkTokens(StateResponse view) {
      for (StateResponse.Node n : view.nodes()) {
        NodeConfigs published = d.nodeConfigs(n.name()).orElseThrow(
            () -> new AssertionError("no snapshot for " + n.name()));
        List<String> digests = new ArrayList<>(published.configs().stream().map(Digests::digest).toList());
        digests.sort(null);
        assertThat(published.configs()).as("snapshot of %s", n.name()).containsExactlyInAnyOrderElementsOf(n.configs());
        long token = published.lastChange();
        noteToken(token, n.name() + " " + digests);
        Long before = lastToken.get(n.name());
        if (token != 0) {
          assertThat(token).as("tokens of %s go back", n.name()).isGreaterThanOrEqualTo(before == null ? 0 : before);
          lastToken.put(n.name(), token);
        }
      }
    }

    @Override
    public String toString() {
      return "World[t=" + now() + ", leading=" + leading + ", configs=" + configs + ", reports=" + lastReport + "]";
    }
  }

  // ---------------------------------------------------------------- actions

  private static Action<World> action(Arbitrary<Transformer<World>> transformers) {
    return new Action.Independent<World>() {
      @Override
      public Arbitrary<Transformer<World>> transformer() {
        return transformers;
      }
    };
  }

  private static Arbitrary<String> nodes() {
    return Arbitraries.integers().between(0, NODES - 1).map(i -> "n" + i);
  }

  private static Action<World> schedule() {
    return action(Arbitraries.integers().between(0, CONFIGS - 1).map(i -> Transformer.<World>mutate(
        "schedule c" + i, w -> {
          w.d.schedule(List.of(clusterCheck("c" + i)));
          w.configs.add(i);
        })));
  }

  private static Action<World> unschedule() {
    return action(Arbitraries.integers().between(0, CONFIGS - 1).map(i -> Transformer.<World>mutate(
        "unschedule c" + i, w -> {
          w.d.unschedule(List.of(clusterCheck("c" + i)));
          w.configs.remove(i);
        })));
  }

  private static Action<World> status() {
    return action(nodes().map(n -> Transformer.<World>mutate("status " + n, w -> w.status(n))));
  }

  private static Action<World> advance() {
    return action(Arbitraries.integers().between(1, 25_000).map(ms -> Transformer.<World>mutate(
        "advance " + ms + " ms", w -> w.thread.time.advanceMillis(ms))));
  }

  /**
   * Time passes (timers queue their work: expiry, warmup, arrival window) and a config may
   * arrive; a worker's status lands at the dispatch thread's n-th clock read while it runs that
   * work, or after it.
   */
  private static Action<World> racingStatus() {
    return action(Combinators.combine(nodes(), Arbitraries.integers().between(0, 25_000),
        Arbitraries.integers().between(-1, 5), Arbitraries.integers().between(-1, CONFIGS - 1))
        .as((n, ms, reads, config) -> Transformer.<World>mutate(
            "status " + n + (reads < 0 ? " running" : " landing at read " + reads + " of") + " the work after "
                + ms + " ms" + (config < 0 ? "" : " and scheduling c" + config), w -> {
              w.thread.hold();
              w.thread.time.advanceMillis(ms);
              if (config >= 0) {
                w.d.schedule(List.of(clusterCheck("c" + config)));
                w.configs.add(config);
              }
              if (reads < 0) {
                // The dispatch thread's work runs while the status is past "leading?".
                w.thread.drainAtNextOutsideRead();
                w.status(n);
              } else {
                w.thread.landAtRead(reads, () -> w.status(n));
              }
              w.thread.settle();
            })));
  }

  private static Action<World> stepDown() {
    return Action.<World>when(w -> w.leading).just(Transformer.mutate("step down", w -> w.stepDown(Optional.empty())));
  }

  private static Action<World> stepDownRacingAStatus() {
    return Action.<World>when(w -> w.leading).describeAs("step down racing a status")
        .justMutate(w -> w.stepDown(Optional.of("n0")));
  }

  private static Action<World> lead() {
    return Action.<World>when(w -> !w.leading).just(Transformer.mutate("lead", World::lead));
  }

  private static Action<World> rebalance() {
    return action(Arbitraries.of(true, false).map(force -> Transformer.<World>mutate(
        "rebalance" + (force ? " (forced)" : ""), w -> w.d.rebalance(force, false).join())));
  }

  private static Action<World> isolate() {
    return action(Arbitraries.integers().between(0, CONFIGS - 1).map(i -> Transformer.<World>mutate(
        "isolate the config at " + i, w -> {
          List<String> digests = new ArrayList<>(w.d.placement().keySet());
          digests.sort(null);
          String digest = digests.isEmpty() ? "none" : digests.get(i % digests.size());
          IsolateResult r = w.d.isolate(digest).join();
          if (r.isolated()) {
            assertThat(w.d.state().nodes().stream().filter(n -> n.name().equals(r.checkNode())).findFirst()
                .orElseThrow().configs()).as("isolated").hasSize(1);
          }
        })));
  }

  @Provide
  Arbitrary<ActionChain<World>> chains() {
    return ActionChain.<World>startWith(() -> {
      World w = new World();
      w.lead();
      return w;
    })
        .withAction(4, schedule())
        .withAction(2, unschedule())
        .withAction(6, status())
        .withAction(4, advance())
        .withAction(4, racingStatus())
        .withAction(1, stepDown())
        .withAction(1, stepDownRacingAStatus())
        .withAction(2, lead())
        .withAction(1, rebalance())
        .withAction(1, isolate())
        .withMaxTransformations(60);
  }

  @Property(tries = 200)
  void theDispatcherAgreesWithItsModelAfterEveryStep(@ForAll("chains") ActionChain<World> chain) {
    chain.withInvariant("model", World::check).run();
  }
}
