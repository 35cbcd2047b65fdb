package chat.security;

import chat.config.PasswordHashing;
import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Password hashing for the event loops: {@link Argon2} on its own small worker pool (one thread
 * fewer than there are cores, at least one), so a login storm can neither starve the event loops
 * nor the workers that blocking store calls use. A full queue answers 503 at once instead of making
 * everyone wait.
 */
public final class PasswordHasher {
  static final int MAX_QUEUED = 256;

  private final Argon2 argon2;
  private final WorkerExecutor workers;
  private final AtomicInteger queued = new AtomicInteger();

  public PasswordHasher(Vertx vertx, PasswordHashing cost) {
    this.argon2 = new Argon2(cost);
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    this.workers = vertx.createSharedWorkerExecutor("chat-password-hashing", threads);
  }

  public Future<String> hash(String password) {
    return run(() -> argon2.hash(password));
  }

  /** Verifies against {@code encoded}, or burns the same time when it is null (no such user). */
  public Future<Boolean> verify(String password, String encoded) {
    return run(() -> argon2.verify(password, encoded));
  }

  private <T> Future<T> run(Callable<T> work) {
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      return Future.failedFuture(new ChatException(ErrorCode.UNAVAILABLE, "server busy with logins: retry shortly"));
    }
    return workers.executeBlocking(work, false).onComplete(ar -> queued.decrementAndGet());
  }
}
