package io.clusterchecks.server.api;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link AuthTokens} in step with {@code cluster_agent.auth_token_file}: the file is read
 * again every {@code interval}, and a new token (trimmed) rotates the accepted ones.
 *
 * <p>Why read the file instead of watching its size and modification time: tokens of one length
 * have the same size, a rewrite within the file system's time granularity keeps the mtime, and a
 * Kubernetes Secret volume swaps a symlink rather than writing the file. The file is small, so
 * reading it every few seconds costs nothing.
 *
 * <p>A file that cannot be read, or holds a token shorter than the minimum, keeps the current
 * token, and says why once per distinct problem rather than at every poll. No log line holds a
 * token.
 */
public final class TokenFileWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TokenFileWatcher.class);
  public static final String KEY = "cluster_agent.auth_token_file";
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  private final Path file;
  private final AuthTokens tokens;
  private final Duration interval;
  private ScheduledExecutorService executor;
  /** The last problem logged, so a lasting one is logged once; "" when the file was fine. */
  private String lastProblem = "";

  public TokenFileWatcher(Path file, AuthTokens tokens, Duration interval) {
    this.file = Objects.requireNonNull(file, "file");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.interval = Objects.requireNonNull(interval, "interval");
  }

  /** The token in {@code file}, trimmed; an {@link IOException} when it cannot be read. */
  public static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }

  /**
   * Whether the token can travel in {@code Authorization: Bearer <token>}: visible ASCII only. A
   * space inside would split it, and this agent sends it to the leader and to runners too.
   */
  public static boolean sendable(String token) {
    return token.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
  }

  /** Why a token file could not be read, in words, for a log line or a refusal. */
  public static String why(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof CharacterCodingException) {
      return "not UTF-8 text";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  public synchronized TokenFileWatcher start() {
    if (executor != null) {
      throw new IllegalStateException("already started");
    }
    executor = FilePolling.every(interval, "auth-token-file", this::poll);
    return this;
  }

  /** Reads the file once and rotates when it holds a new usable token. */
  synchronized void poll() {
    String token;
    try {
      token = read(file);
    } catch (IOException | RuntimeException e) {
      problem(file + " cannot be read (" + why(e) + ")");
      return;
    }
    if (token.length() < BearerTokenAuth.MIN_TOKEN_LENGTH) {
      problem(file + " holds " + token.length() + " characters, fewer than " + BearerTokenAuth.MIN_TOKEN_LENGTH);
      return;
    }
    if (!sendable(token)) {
      problem(file + " holds characters other than visible ASCII, which a header cannot carry");
      return;
    }
    lastProblem = "";
    if (tokens.rotate(token)) {
      LOG.info("{}: the auth token was rotated from {}; the previous one is still accepted for {} s",
          KEY, file, tokens.overlap().toSeconds());
    }
  }

  private void problem(String why) {
    if (!why.equals(lastProblem)) {
      LOG.warn("{}: {}; keeping the current auth token", KEY, why);
      lastProblem = why;
    }
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
