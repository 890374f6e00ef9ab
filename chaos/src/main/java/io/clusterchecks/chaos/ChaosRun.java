package io.clusterchecks.chaos;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One chaos run: starts the cluster, waits until it settles, then plays the schedule one event
 * at a time (fault, hold, heal, wait to settle, compare placements) while an observer thread
 * checks the invariants on a fresh look every 500 ms.
 */
public final class ChaosRun {
  private static final Duration LOOK_PERIOD = Duration.ofMillis(500);

  private final ChaosOptions options;
  private final Path workDir;
  private final PrintStream log;
  private final AtomicReference<ObservedWorld> latest = new AtomicReference<>();
  private volatile boolean observing = true;
  private volatile boolean wantState;

  public ChaosRun(ChaosOptions options, Path workDir, PrintStream log) {
    this.options = options;
    this.workDir = workDir;
    this.log = log;
  }

  public ChaosReport run() throws Exception {
    ChaosLogging.quiet();
    List<ChaosEvent> schedule = Schedule.generate(options);
    log.println("chaos: seed " + options.seed() + ", " + schedule.size() + " event(s) scheduled, work dir " + workDir);
    long started = System.nanoTime();
    List<EventOutcome> outcomes = new ArrayList<>();
    ConfdCorpus corpus = new ConfdCorpus(workDir.resolve("conf.d"));
    corpus.addNew(options.configs());
    Invariants invariants = new Invariants(corpus, options);
    try (ChaosCluster c = new ChaosCluster(options, workDir, corpus, invariants::applied)) {
      c.startReplicas();
      Thread observer = new Thread(() -> observe(c, invariants), "chaos-observer");
      observer.setDaemon(true);
      observer.start();
      try {
        // Workers poll from the start, as node agents do: by the end of the first leader's warmup
        // they all report, and the first placement spreads over all of them.
        c.fleet.startAll();
        awaitLeader(Duration.ofSeconds(180));
        long t0 = System.nanoTime();
        Optional<String> why = awaitSettled(c, t0, Duration.ofSeconds(180), true);
        if (why.isPresent()) {
          invariants.violation("start", "never settled at start: " + why.get());
          return report(outcomes, invariants, started);
        }
        log.printf("chaos: settled at start in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        FaultInjector injector = new FaultInjector(c, invariants);
        Map<String, String> before = latest.get().placement();
        invariants.mark();
        long deadline = System.nanoTime() + options.maxDuration().toNanos();
        for (ChaosEvent e : schedule) {
          if (System.nanoTime() > deadline) {
            log.println("chaos: duration reached after " + outcomes.size() + " event(s)");
            break;
          }
          Thread.sleep(e.gap().toMillis());
          invariants.context(e.toString());
          FaultInjector.Fault f = injector.inject(e);
          Thread.sleep(e.fault().toMillis());
          f.heal();
          long healed = System.nanoTime();
          Optional<String> run = awaitSettled(c, healed, options.settleBound().multipliedBy(3), false);
          long runMs = run.isPresent() ? -1 : (System.nanoTime() - healed) / 1_000_000;
          Optional<String> full = awaitSettled(c, healed, settleLimit(), true);
          long fullMs = full.isPresent() ? -1 : (System.nanoTime() - healed) / 1_000_000;
          if (run.isPresent() || runMs > options.settleBound().toMillis()) {
            invariants.violation("settle", "configs not each on exactly one worker " + options.settleBound().toMillis()
                + " ms after the heal (" + (run.isPresent() ? run.get() : runMs + " ms") + ")");
          }
          if (full.isPresent()) {
            invariants.violation("settle-state", "never settled with the state API: " + full.get());
          }
          Map<String, String> after = latest.get().placement();
          Set<String> mayMove = new HashSet<>(f.mayMoveFrom());
          mayMove.addAll(invariants.starvedSinceMark());
          int[] moves = invariants.moves(e.toString(), before, after, mayMove);
          invariants.mark();
          EventOutcome o = new EventOutcome(e, f.description(), runMs, fullMs, moves[0], moves[1]);
          outcomes.add(o);
          log.println("  " + o.line());
          before = after;
        }
      } finally {
        observing = false;
        observer.join(5000);
      }
    }
    return report(outcomes, invariants, started);
  }

  /** A leader change needs a session timeout, then the warmup; add the settle bound and room for a slow machine. */
  private Duration settleLimit() {
    return options.sessionTimeout().plus(options.warmup()).plus(options.settleBound()).multipliedBy(3);
  }

  private ChaosReport report(List<EventOutcome> outcomes, Invariants inv, long started) {
    return new ChaosReport(options, List.copyOf(outcomes), inv.violations(), inv.doubleRuns(), inv.maxDoubleRunMillis(),
        inv.termsSeen(), inv.overlappingLeaderLooks(), inv.starvations(), Duration.ofNanos(System.nanoTime() - started));
  }

  private void observe(ChaosCluster c, Invariants invariants) {
    while (observing) {
      try {
        ObservedWorld w = c.observe(wantState);
        latest.set(w);
        invariants.observe(w);
        Thread.sleep(LOOK_PERIOD.toMillis());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.println("chaos: observer: " + e);
      }
    }
  }

  private void awaitLeader(Duration atMost) throws InterruptedException {
    long end = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() < end) {
      ObservedWorld w = latest.get();
      if (w != null && w.soleLeader().isPresent()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no replica led within " + atMost.toSeconds() + " s");
  }

  /** Waits for a look taken after {@code since} that is settled; returns why not when time runs out. */
  private Optional<String> awaitSettled(ChaosCluster c, long since, Duration atMost, boolean withState)
      throws InterruptedException {
    long end = since + atMost.toNanos();
    String why = "no look yet";
    wantState = withState;
    long judged = since;
    while (System.nanoTime() < end) {
      ObservedWorld w = latest.get();
      if (w != null && w.nanos() > judged) {
        judged = w.nanos(); // each look is judged once
        Optional<String> u = w.unsettled(c.corpus.expected(), withState);
        if (u.isEmpty()) {
          wantState = false;
          return u;
        }
        why = u.get();
      }
      Thread.sleep(50);
    }
    wantState = false;
    return Optional.of(why);
  }
}
