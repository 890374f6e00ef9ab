package io.clusterchecks.core.dispatch;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The dispatcher's log lines from its creation to {@link #close()}, from {@code level} up. */
final class DispatcherLines implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger(Dispatcher.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Level previous;

  DispatcherLines(Level level) {
    previous = logger.getLevel();
    logger.setLevel(level);
    lines.start();
    logger.addAppender(lines);
  }

  /** INFO and above, the level the tests' Logback file sets. */
  DispatcherLines() {
    this(Level.INFO);
  }

  /** Every line so far, formatted. */
  List<String> messages() {
    return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** The lines so far logged at exactly {@code level}, formatted. */
  List<String> messages(Level level) {
    return lines.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
  }

  void clear() {
    lines.list.clear();
  }

  @Override
  public void close() {
    logger.detachAppender(lines);
    logger.setLevel(previous);
  }
}
