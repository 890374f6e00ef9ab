package io.clusterchecks.server.api;

import io.clusterchecks.core.dispatch.Dispatcher;
import io.javalin.http.Context;
import java.util.Objects;

/**
 * Decides who answers a leader-only worker request (docs/reference/leader-election.md section 4): this replica, nobody yet
 * (503), or the leader through a forwarder. The API asks the gate after authentication, path
 * validation and the "cluster checks enabled" check, and before decoding or touching the
 * dispatcher, so a refused request changes nothing.
 *
 * <p>{@link #leaderOnly(Dispatcher)} is the single-replica gate. Leader election plugs in its own
 * implementation that answers {@link Forward} on followers.
 */
public interface RequestGate {

  /** The not-yet-serving answer, and the state endpoint's {@code not_running} text for it. */
  String STARTUP_IN_PROGRESS = "Startup in progress";

  /** What to do with the request now. Called once per leader-only request. */
  Decision admit();

  /**
   * The state endpoint's {@code not_running}: empty when this replica dispatches, else why not
   * ({@code "Startup in progress"}, {@code "currently follower"}). The state endpoint is never
   * forwarded.
   */
  String notRunningReason();

  /** The gate's verdict. */
  sealed interface Decision permits Serve, Reject, Forward {}

  /** This replica answers. */
  enum Serve implements Decision { INSTANCE }

  /** Answer with this status and plain-text message; the dispatcher is not consulted. */
  record Reject(int status, String message) implements Decision {
    public Reject {
      Objects.requireNonNull(message, "message");
    }
  }

  /** Let the forwarder answer on behalf of the leader; counted as {@code forwarded="true"}. */
  record Forward(Forwarder forwarder) implements Decision {
    public Forward {
      Objects.requireNonNull(forwarder, "forwarder");
    }
  }

  /** Relays a request to the leader and writes the leader's answer to {@code ctx}. */
  @FunctionalInterface
  interface Forwarder {
    /**
     * @param ctx the request, already authenticated and validated; write the answer here
     * @param body the request body as read (bounded by the body limit), empty for a GET
     */
    void forward(Context ctx, byte[] body) throws Exception;
  }

  /** Without leader election: serve while the dispatcher leads, else 503 Startup in progress. */
  static RequestGate leaderOnly(Dispatcher dispatcher) {
    Objects.requireNonNull(dispatcher, "dispatcher");
    return new RequestGate() {
      @Override
      public Decision admit() {
        return dispatcher.isLeading() ? Serve.INSTANCE : new Reject(503, STARTUP_IN_PROGRESS);
      }

      @Override
      public String notRunningReason() {
        return dispatcher.isLeading() ? "" : STARTUP_IN_PROGRESS;
      }
    };
  }
}
