package io.clusterchecks.server.api;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Drops every log event of one thread while installed: the worker-route warm-up drives a
 * throwaway dispatcher on its own thread, and that dispatcher's lines ("Becoming leader", "Node
 * registered") would read as the real one's. Other threads log as before. Installed only when
 * the logging backend is Logback (the agent's); elsewhere it does nothing.
 */
final class QuietThreadFilter extends TurboFilter implements AutoCloseable {
  private final Thread quiet;
  private final LoggerContext context;

  private QuietThreadFilter(Thread quiet, LoggerContext context) {
    this.quiet = quiet;
    this.context = context;
  }

  /** Silences the calling thread until {@link #close()}. */
  static QuietThreadFilter silenceCurrentThread() {
    LoggerContext context = LoggerFactory.getILoggerFactory() instanceof LoggerContext c ? c : null;
    QuietThreadFilter f = new QuietThreadFilter(Thread.currentThread(), context);
    if (context != null) {
      f.setContext(context);
      f.start();
      context.addTurboFilter(f);
    }
    return f;
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
      Throwable t) {
    return Thread.currentThread() == quiet ? FilterReply.DENY : FilterReply.NEUTRAL;
  }

  @Override
  public void close() {
    if (context != null) {
      context.getTurboFilterList().remove(this);
      stop();
    }
  }
}
