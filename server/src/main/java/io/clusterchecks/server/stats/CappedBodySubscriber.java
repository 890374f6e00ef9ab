package io.clusterchecks.server.stats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body into memory, up to a size limit: past it (or when the announced
 * {@code Content-Length} is already past it) the subscription is cancelled, which drops the
 * connection, and the body fails with {@link TooLarge}. With a limit of -1 the body is not read at
 * all (for answers whose body does not matter, such as error statuses).
 */
final class CappedBodySubscriber implements BodySubscriber<byte[]> {
  /** The body is over the limit. */
  static final class TooLarge extends IOException {
    TooLarge(long limit) {
      super("answer larger than " + limit + " bytes");
    }
  }

  private static final byte[] NONE = new byte[0];

  private final long limit;
  private final long announced;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private Flow.Subscription subscription;
  private long size;

  /**
   * @param limit the largest body accepted, in bytes; -1 to skip the body
   * @param announced the {@code Content-Length}, or -1 when unknown
   */
  CappedBodySubscriber(long limit, long announced) {
    this.limit = limit;
    this.announced = announced;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    this.subscription = s;
    if (limit < 0) {
      s.cancel();
      result.complete(NONE);
    } else if (announced > limit) {
      s.cancel();
      result.completeExceptionally(new TooLarge(limit));
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      size += b.remaining();
      if (size > limit) {
        subscription.cancel();
        result.completeExceptionally(new TooLarge(limit));
        return;
      }
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      buffer.writeBytes(chunk);
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }
}
