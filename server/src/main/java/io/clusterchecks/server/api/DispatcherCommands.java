package io.clusterchecks.server.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits, on an HTTP thread, for the answer of a dispatcher command (rebalance, isolate: people's
 * requests, rare). The dispatch thread never waits for anyone; the caller waits within a bound and
 * answers 503 when the dispatcher is too busy to answer in time.
 */
public final class DispatcherCommands {
  /** How long a person's request waits for the dispatch thread. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private DispatcherCommands() {}

  /** The dispatcher did not answer: the request gets a 503 with this message. */
  public static final class Unanswered extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unanswered(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The command's answer.
   *
   * @throws Unanswered when interrupted or after {@link #TIMEOUT}
   * @throws IllegalStateException when the command itself failed (a bug: logged as such)
   */
  public static <T> T await(CompletableFuture<T> command) {
    try {
      return command.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unanswered("interrupted while waiting for the dispatcher");
    } catch (ExecutionException e) {
      throw new IllegalStateException("the dispatcher command failed", e.getCause());
    } catch (TimeoutException e) {
      throw new Unanswered("the dispatcher did not answer within " + TIMEOUT.toSeconds() + " s");
    }
  }
}
