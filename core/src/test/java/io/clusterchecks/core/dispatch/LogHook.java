package io.clusterchecks.core.dispatch;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Runs an action, once, when the dispatcher logs a line starting with a given text: a way to make
 * another thread's call land at an exact point inside a dispatch transition, without sleeping.
 * The action runs on the thread that logs, as if another thread got there at that instant.
 */
final class LogHook extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger(Dispatcher.class);
  private final String prefix;
  private final Runnable action;
  private boolean fired;

  LogHook(String prefix, Runnable action) {
    this.prefix = prefix;
    this.action = action;
    setName("hook:" + prefix);
    start();
    logger.addAppender(this);
  }

  boolean fired() {
    return fired;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (!fired && event.getFormattedMessage().startsWith(prefix)) {
      fired = true;
      action.run();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    stop();
  }
}
