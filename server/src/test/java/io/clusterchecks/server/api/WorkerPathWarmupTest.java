package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The warm-up drives the worker routes' code the way a fleet does (statuses, fetches when told,
 * placements that change), on a dispatcher of its own, and says nothing but one debug line.
 */
class WorkerPathWarmupTest {
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Logger warmupLogger = (Logger) LoggerFactory.getLogger(WorkerPathWarmup.class);
  private final Logger dispatcherLogger = (Logger) LoggerFactory.getLogger("io.clusterchecks.core.dispatch.Dispatcher");
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Level warmupLevel;
  private Level dispatcherLevel;

  @BeforeEach
  void capture() {
    events.start();
    root.addAppender(events);
    warmupLevel = warmupLogger.getLevel();
    dispatcherLevel = dispatcherLogger.getLevel();
    warmupLogger.setLevel(Level.DEBUG);
    dispatcherLogger.setLevel(Level.INFO); // its "Becoming leader" and "Node registered" lines would show
  }

  @AfterEach
  void release() {
    root.detachAppender(events);
    warmupLogger.setLevel(warmupLevel);
    dispatcherLogger.setLevel(dispatcherLevel);
  }

  @Test
  void drivesStatusesAndFetchesAndLogsOneDebugLineOnly() {
    WorkerPathWarmup.Result r = WorkerPathWarmup.run(5_000, Duration.ofMinutes(5));

    assertThat(r.statuses()).isEqualTo(5_000);
    assertThat(r.fetches()).as("workers told they are not up to date fetch").isPositive();
    assertThat(r.upToDate()).as("and are up to date afterwards").isGreaterThan(r.statuses() / 2);
    assertThat(events.list).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
      assertThat(e.getLoggerName()).isEqualTo(WorkerPathWarmup.class.getName());
      assertThat(e.getFormattedMessage()).startsWith("Worker-route warm-up: 5000 statuses");
    });

    // The silence was the warm-up's only: this thread logs again once it is done.
    dispatcherLogger.info("after the warm-up");
    assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage).contains("after the warm-up");
  }

  @Test
  void stopsAtItsBudget() {
    WorkerPathWarmup.Result r = WorkerPathWarmup.run(Integer.MAX_VALUE, Duration.ZERO);
    assertThat(r.statuses()).isZero();
  }

  @Test
  void stopsBetweenBatchesOnceNoLongerWanted() {
    // Wanted for the first batch only, as when the replica starts to lead during the warm-up.
    int[] asked = {0};
    WorkerPathWarmup.Result r = WorkerPathWarmup.run(Integer.MAX_VALUE, Duration.ofMinutes(5), () -> asked[0]++ == 0);

    assertThat(asked[0]).isEqualTo(2);
    assertThat(r.statuses()).as("one batch, then it stopped").isPositive().isLessThan(100_000);
  }
}
