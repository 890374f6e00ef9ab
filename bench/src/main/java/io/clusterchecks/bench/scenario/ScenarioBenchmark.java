package io.clusterchecks.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The scenario benchmark (docs/benchmarks.md): every strategy on every scenario, one markdown table
 * per scenario, then the timing of one rebalance of 100,000 configs over 1,000 runners.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.clusterchecks.bench.scenario.ScenarioBenchmark [options]
 *   --size quick|full|tiny   quick (default): 500 runners, 200,000 configs; full: 2,000 / 1,000,000
 *   --runners N --configs N  override the size
 *   --seed N                 default 42
 *   --budget F               our move budget per period, share of configs (default 0.01; 0 = none)
 *   --scenarios a,b          steady, join, die, rolling-restart, drift, burst (default all)
 *   --strategies text        only strategies whose name contains one of the comma-separated texts
 *   --no-timing              skip the 100,000 / 1,000 rebalance timing
 *   --timing-only            only the timing
 * </pre>
 */
public final class ScenarioBenchmark {
  private ScenarioBenchmark() {}

  public static void main(String[] args) {
    Locale.setDefault(Locale.ROOT);
    Params p = Params.quick();
    List<Scenario> scenarios = new ArrayList<>(List.of(Scenario.values()));
    String[] only = null;
    boolean timing = true;
    boolean scenariosOn = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--size" -> {
          String v = args[++i];
          p = switch (v) {
            case "quick" -> Params.quick();
            case "full" -> Params.full();
            case "tiny" -> Params.tiny();
            default -> throw new IllegalArgumentException("size: quick, full or tiny");
          };
        }
        case "--runners" -> p = p.withSize(Integer.parseInt(args[++i]), p.configs());
        case "--configs" -> p = p.withSize(p.runners(), Integer.parseInt(args[++i]));
        case "--seed" -> p = p.withSeed(Long.parseLong(args[++i]));
        case "--budget" -> p = p.withOursBudget(Double.parseDouble(args[++i]));
        case "--scenarios" -> {
          scenarios.clear();
          for (String s : args[++i].split(",")) {
            scenarios.add(Scenario.valueOf(s.trim().toUpperCase().replace('-', '_')));
          }
        }
        case "--strategies" -> only = args[++i].split(",");
        case "--no-timing" -> timing = false;
        case "--timing-only" -> scenariosOn = false;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (scenariosOn) {
      System.out.printf("Fleet: %d runners × %d check workers, %d configs, %d check names, mean utilization %.2f, "
              + "measurement noise σ %.2f, rebalance every %d s, warm-up %d periods, window %d periods, seed %d.%n%n",
          p.runners(), p.workersPerRunner(), p.configs(), p.checkTypes(), p.meanUtilization(), p.noiseSigma(),
          p.periodSeconds(), p.warmupPeriods(), p.windowPeriods(), p.seed());
      for (Scenario sc : scenarios) {
        List<Result> rows = new ArrayList<>();
        for (Strategy s : Strategies.all(p)) {
          if (!selected(s.name(), only)) {
            continue;
          }
          long t = System.nanoTime();
          rows.add(new ScenarioRunner(p, sc, s).run());
          System.err.printf("  %s / %s: %.1f s%n", sc.id(), s.name(), (System.nanoTime() - t) / 1e9);
        }
        System.out.println(table(sc, rows));
        System.out.flush();
      }
    }
    if (timing) {
      System.out.println(RebalanceTiming.run(1_000, 100_000, p.seed()));
    }
  }

  private static boolean selected(String name, String[] only) {
    if (only == null) {
      return true;
    }
    for (String o : only) {
      if (name.contains(o.trim())) {
        return true;
      }
    }
    return false;
  }

  public static String table(Scenario sc, List<Result> rows) {
    StringBuilder b = new StringBuilder();
    b.append("#### ").append(sc.id()).append(": ").append(sc.title).append("\n\n");
    b.append("Minimum moves: ").append(sc.bound).append(".\n\n");
    b.append("| strategy | steady max/mean | worst max/mean after | end max/mean | end min/mean "
        + "| moved by the event / min | moved until balanced / min | moved in window / min | moved, % of configs "
        + "| balanced after | CPU ms per rebalance | CPU vs ours |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    long oursCpu = -1;
    for (Result r : rows) {
      if (oursCpu < 0 && r.strategy().startsWith("ours (budget") && r.cpuNanos() > 0) {
        oursCpu = r.cpuNanos();
      }
    }
    for (Result r : rows) {
      b.append("| ").append(r.strategy())
          .append(" | ").append(f3(r.steadyMax()))
          .append(" | ").append(f3(r.peakMax()))
          .append(" | ").append(f3(r.endMax()))
          .append(" | ").append(f3(r.endMin()))
          .append(" | ").append(ratio(r.movedByEvent(), r.minimum()))
          .append(" | ").append(r.movedUntilBalanced() < 0 ? "never" : ratio(r.movedUntilBalanced(), r.minimum())
              + (r.wholeMinimum() >= 0 ? " (whole configs: " + r.wholeMinimum() + ")" : ""))
          .append(" | ").append(ratio(r.movedInWindow(), r.minimum()))
          .append(" | ").append(String.format("%.2f%%", 100.0 * r.movedInWindow() / r.configs()))
          .append(" | ").append(r.balancedAfter() < 0 ? "not within window"
              : r.balancedAfter() == 0 ? "at once" : (r.balancedAfter() / 60) + " min")
          .append(" | ").append(r.cpuNanos() < 0 ? "—"
              : String.format("%.1f%s", r.cpuNanos() / 1e6, r.cpuWhat().equals("rebalance") ? "" : " (" + r.cpuWhat() + ")"))
          .append(" | ").append(r.cpuNanos() < 0 || oursCpu <= 0 ? "—" : String.format("%.2f×", (double) r.cpuNanos() / oursCpu))
          .append(" |\n");
    }
    return b.toString();
  }

  static String f3(double v) {
    return String.format("%.3f", v);
  }

  static String ratio(long moved, long min) {
    if (min < 0) {
      return moved + " (no minimum)";
    }
    if (min == 0) {
      return moved + " (minimum 0)";
    }
    return String.format("%.2f× (%d / %d)", (double) moved / min, moved, min);
  }
}
