package io.clusterchecks.server.confd;

import io.clusterchecks.core.config.Config;
import io.clusterchecks.core.config.ConfigListener;
import io.clusterchecks.core.dispatch.DispatchedConfig;
import io.clusterchecks.core.dispatch.Dispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Hands configs to a {@link Dispatcher}, preparing a large batch on every core first.
 *
 * <p>Why: {@link Dispatcher#schedule} prepares (patches, digests, check IDs) on the calling
 * thread, and conf.d's first scan hands over every file's config in one call: a million of them
 * kept one core busy for over half a minute while the other had nothing to do. Preparation is
 * pure, so slices of the batch are prepared side by side and the dispatch thread gets them in
 * the order given, in one call, as from {@link Dispatcher#schedule}. A small batch, and every
 * unschedule, goes to the dispatcher as it is.
 */
public final class ParallelScheduling implements ConfigListener {
  /** Below this many configs, one thread prepares them. */
  private static final int PARALLEL_FROM = 512;
  /** Configs per slice: large enough that splitting costs nothing, small enough to share. */
  private static final int SLICE = 256;

  private final Dispatcher dispatcher;

  public ParallelScheduling(Dispatcher dispatcher) {
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
  }

  @Override
  public void schedule(List<Config> configs) {
    if (configs.size() < PARALLEL_FROM) {
      dispatcher.schedule(configs);
      return;
    }
    int slices = (configs.size() + SLICE - 1) / SLICE;
    List<List<DispatchedConfig>> prepared = IntStream.range(0, slices).parallel()
        .mapToObj(i -> dispatcher.prepare(configs.subList(i * SLICE, Math.min(configs.size(), (i + 1) * SLICE))))
        .toList();
    List<DispatchedConfig> all = new ArrayList<>(configs.size());
    prepared.forEach(all::addAll);
    dispatcher.schedulePrepared(all);
  }

  @Override
  public void unschedule(List<Config> configs) {
    dispatcher.unschedule(configs);
  }
}
