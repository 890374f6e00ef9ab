package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.clusterchecks.core.time.ManualTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code cluster_agent.auth_token_file} over a real socket: the token is read from the file,
 * re-read when it changes, and the previous one is accepted for the overlap only. The file is
 * polled every 20 ms and the overlap's end is reached by moving a manual clock.
 */
class TokenFileRotationTest {
  private static final String A = "token-a-0123456789abcdef0123456789abcdef";
  private static final String B = "token-b-fedcba9876543210fedcba9876543210";
  private static final Duration OVERLAP = Duration.ofMinutes(2);

  @TempDir
  Path tmp;

  private final ManualTime clock = new ManualTime(Instant.parse("2026-01-01T00:00:00Z"));
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private ApiFixture api;
  private TokenFileWatcher watcher;
  private Path file;

  @BeforeEach
  void start() throws IOException {
    ((Logger) LoggerFactory.getLogger(TokenFileWatcher.class)).addAppender(logs);
    logs.start();
    file = Files.writeString(tmp.resolve("token"), A + "\n");
    AuthTokens tokens = new AuthTokens(TokenFileWatcher.read(file), OVERLAP, clock);
    api = ApiFixture.leading();
    api.server.authTokens(tokens);
    watcher = new TokenFileWatcher(file, tokens, Duration.ofMillis(20)).start();
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(TokenFileWatcher.class)).detachAppender(logs);
    if (watcher != null) {
      watcher.close();
    }
    if (api != null) {
      api.close();
    }
  }

  private int statusWith(String token) {
    return api.send(api.request("/version").setHeader("Authorization", "Bearer " + token).GET().build())
        .statusCode();
  }

  private String logText() {
    return logs.list.stream().map(ILoggingEvent::getFormattedMessage).reduce("", (a, b) -> a + b + "\n");
  }

  @Test
  void aRewrittenFileRotatesTheTokenWithAnOverlapForThePreviousOne() throws IOException {
    assertThat(statusWith(A)).isEqualTo(200);
    assertThat(statusWith(B)).isEqualTo(403);
    assertThat(statusWith(ApiFixture.TOKEN)).as("the options' token is replaced by the file's").isEqualTo(403);

    replace("\n  " + B + "  \n");
    await().atMost(Duration.ofSeconds(10)).until(() -> statusWith(B) == 200);
    assertThat(statusWith(A)).as("the previous token during the overlap").isEqualTo(200);
    assertThat(logText()).contains("cluster_agent.auth_token_file: the auth token was rotated",
        "still accepted for 120 s");

    clock.advance(OVERLAP.minusSeconds(1));
    assertThat(statusWith(A)).isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));
    assertThat(statusWith(A)).as("the previous token after the overlap").isEqualTo(403);
    assertThat(statusWith(B)).isEqualTo(200);
    assertThat(logText()).doesNotContain(A, B);
  }

  @Test
  void aFileWithATokenTooShortOrThatIsGoneKeepsTheCurrentTokenAndSaysWhyOnce() throws IOException {
    replace("too-short-token\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> logText().contains("holds 15 characters, fewer than 32"));
    assertThat(statusWith(A)).isEqualTo(200);
    assertThat(statusWith("too-short-token")).isEqualTo(403);

    replace("token with spaces 0123456789abcdef0123456789\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> logText().contains("other than visible ASCII"));
    assertThat(statusWith(A)).isEqualTo(200);

    Files.delete(file);
    await().atMost(Duration.ofSeconds(10)).until(() -> logText().contains("cannot be read (no such file)"));
    assertThat(statusWith(A)).isEqualTo(200);

    replace(B);
    await().atMost(Duration.ofSeconds(10)).until(() -> statusWith(B) == 200);
    // Each problem was logged once, however many polls saw it; and never with a token.
    assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().contains("keeping the current auth token"))
        .hasSize(3);
    assertThat(logText()).doesNotContain(A, B, "too-short-token", "token with spaces");
  }

  /**
   * Replaces the file in one step, as a secret mount does: {@code Files.writeString} truncates
   * first, and a poll between the truncation and the write would see an empty file (a fourth
   * problem the test did not cause).
   */
  private void replace(String content) throws IOException {
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.writeString(next, content);
    Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
