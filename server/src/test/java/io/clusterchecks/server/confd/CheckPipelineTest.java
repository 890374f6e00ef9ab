package io.clusterchecks.server.confd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CheckPipelineTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  /** Records results with the thread that recorded each. */
  private static final class Recorded {
    final List<Integer> values = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();

    void accept(int value) {
      values.add(value);
      threads.add(Thread.currentThread());
    }
  }

  @Test
  void everyResultIsRecordedOnTheCallerInTheOrderAdded() {
    long seed = System.nanoTime();
    System.out.println("CheckPipelineTest seed " + seed);
    Random random = new Random(seed);
    int items = 1 + random.nextInt(5_000);
    int slice = 1 + random.nextInt(300);
    Recorded recorded = new Recorded();
    List<Thread> checkers = new ArrayList<>();
    CheckPipeline<Integer, Integer> pipeline = new CheckPipeline<>(i -> {
      synchronized (checkers) {
        checkers.add(Thread.currentThread());
      }
      return i * 2;
    }, recorded::accept, slice, pool);
    for (int i = 0; i < items; i++) {
      pipeline.add(i);
    }
    pipeline.finish();

    assertThat(pipeline.added()).as("seed %d", seed).isEqualTo(items);
    assertThat(recorded.values).as("seed %d", seed)
        .containsExactlyElementsOf(IntStream.range(0, items).map(i -> i * 2).boxed().toList());
    assertThat(recorded.threads).as("seed %d", seed).containsOnly(Thread.currentThread());
  }

  @Test
  void aPoolThatNeverRunsLeavesEveryCheckToTheCaller() {
    List<Runnable> dropped = new ArrayList<>();
    Recorded recorded = new Recorded();
    CheckPipeline<Integer, Integer> pipeline = new CheckPipeline<>(i -> i + 1, recorded::accept, 10, dropped::add);
    for (int i = 0; i < 95; i++) {
      pipeline.add(i);
    }
    pipeline.finish();

    assertThat(dropped).hasSize(9); // every full slice was offered to the pool
    assertThat(recorded.values).containsExactlyElementsOf(IntStream.range(1, 96).boxed().toList());
    dropped.forEach(Runnable::run); // late pool runs find their slices claimed: nothing checked twice
    assertThat(recorded.values).hasSize(95);
  }

  @Test
  void fewerItemsThanASliceAreCheckedAndRecordedOnlyAtFinish() {
    List<Runnable> offered = new ArrayList<>();
    List<Thread> checkers = new ArrayList<>();
    Recorded recorded = new Recorded();
    CheckPipeline<Integer, Integer> pipeline = new CheckPipeline<>(i -> {
      checkers.add(Thread.currentThread());
      return i;
    }, recorded::accept, 256, offered::add);
    for (int i = 0; i < 99; i++) {
      pipeline.add(i);
    }
    assertThat(recorded.values).isEmpty();
    assertThat(checkers).isEmpty();

    pipeline.finish();
    assertThat(offered).isEmpty();
    assertThat(checkers).hasSize(99).containsOnly(Thread.currentThread());
    assertThat(recorded.values).hasSize(99);
  }

  @Test
  void aFailingCheckSurfacesAfterTheSlicesBeforeItAreRecorded() {
    Recorded recorded = new Recorded();
    List<Integer> checkedAfter = new ArrayList<>();
    CheckPipeline<Integer, Integer> pipeline = new CheckPipeline<>(i -> {
      if (i == 25) {
        throw new IllegalStateException("check failed on " + i);
      }
      if (i > 29) {
        synchronized (checkedAfter) {
          checkedAfter.add(i);
        }
      }
      return i;
    }, recorded::accept, 10, Runnable::run); // a pool that runs each slice at once, on the caller

    assertThatThrownBy(() -> {
      for (int i = 0; i < 100; i++) {
        pipeline.add(i);
      }
      pipeline.finish();
    }).isInstanceOf(IllegalStateException.class).hasMessage("check failed on 25");
    // slices 0-9 and 10-19 recorded, nothing of the failed slice 20-29, nothing after it
    assertThat(recorded.values).containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());
    assertThat(checkedAfter).isEmpty();
  }
}
