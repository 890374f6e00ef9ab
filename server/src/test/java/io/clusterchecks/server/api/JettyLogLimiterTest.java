package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JettyLogLimiterTest {

  @Test
  void oneJettyWarningPerLoggerPerMinuteAndTheNextSaysHowManyWereHeld() {
    AtomicLong now = new AtomicLong();
    JettyLogLimiter limiter = new JettyLogLimiter(now::get);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger hostPort = context.getLogger("org.eclipse.jetty.util.HostPort");
    Logger parser = context.getLogger("org.eclipse.jetty.http.HttpParser");
    ListAppender<ILoggingEvent> ours = capture(JettyLogLimiter.class.getName());
    try {
      assertThat(decide(limiter, hostPort, Level.WARN)).isEqualTo(FilterReply.NEUTRAL);
      for (int i = 0; i < 4; i++) {
        assertThat(decide(limiter, hostPort, Level.WARN)).isEqualTo(FilterReply.DENY);
      }
      // Another logger is another condition; INFO and our own loggers are not touched.
      assertThat(decide(limiter, parser, Level.WARN)).isEqualTo(FilterReply.NEUTRAL);
      assertThat(decide(limiter, hostPort, Level.ERROR)).isEqualTo(FilterReply.DENY);
      assertThat(decide(limiter, context.getLogger("io.clusterchecks.x"), Level.WARN)).isEqualTo(FilterReply.NEUTRAL);
      assertThat(ours.list).isEmpty();

      now.addAndGet(JettyLogLimiter.INTERVAL.toNanos() - 1);
      assertThat(decide(limiter, hostPort, Level.WARN)).isEqualTo(FilterReply.DENY);
      now.addAndGet(1);
      assertThat(decide(limiter, hostPort, Level.WARN)).isEqualTo(FilterReply.NEUTRAL);
      assertThat(ours.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
          "6 more lines of org.eclipse.jetty.util.HostPort were not logged in the last 60 s (one a minute is kept)");
    } finally {
      context.getLogger(JettyLogLimiter.class.getName()).detachAppender(ours);
    }
  }

  @Test
  void strangersSendingBadHostHeadersAreAnswered400AndLoggedAtMostOnce() throws Exception {
    ListAppender<ILoggingEvent> jetty = capture("org.eclipse.jetty.util.HostPort");
    try (ApiFixture api = ApiFixture.leading()) {
      for (int i = 0; i < 5; i++) {
        RawHttp.Answer a = RawHttp.send(api.server.port(),
            "GET /version HTTP/1.1\r\nHost: bad host\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(a.status()).isEqualTo(400);
      }
      // The filter installed at start (LoggingConfigurator) lets one line a minute through (none if an earlier
      // test of this JVM used this minute's line).
      assertThat(jetty.list).hasSizeLessThanOrEqualTo(1);
    } finally {
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("org.eclipse.jetty.util.HostPort").detachAppender(jetty);
    }
  }

  private static FilterReply decide(JettyLogLimiter limiter, Logger logger, Level level) {
    return limiter.decide(null, logger, level, "Bad Authority: [{}]", new Object[] {"x"}, null);
  }

  private static ListAppender<ILoggingEvent> capture(String loggerName) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    context.getLogger(loggerName).addAppender(appender);
    return appender;
  }

}
