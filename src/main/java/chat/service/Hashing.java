package chat.service;

import chat.protocol.ChatException;
import chat.protocol.ErrorCode;
import chat.security.PasswordHasher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Password hashing off the event loops, on its own small worker pool (one thread fewer than there
 * are cores, at least one), so a login storm can neither starve the event loops nor the workers
 * that blocking store calls use. A full queue answers 503 at once instead of making everyone wait.
 */
final class Hashing {
  static final int MAX_QUEUED = 256;

  private final PasswordHasher hasher;
  private final WorkerExecutor workers;
  private final AtomicInteger queued = new AtomicInteger();

  Hashing(Vertx vertx, PasswordHasher hasher) {
    this.hasher = hasher;
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    this.workers = vertx.createSharedWorkerExecutor("chat-password-hashing", threads);
  }

  Future<String> hash(String password) {
    return run(() -> hasher.hash(password));
  }

  /** Verifies against {@code encoded}, or burns the same time when it is null (no such user). */
  Future<Boolean> verify(String password, String encoded) {
    return run(() -> hasher.verify(password, encoded));
  }

  private <T> Future<T> run(java.util.concurrent.Callable<T> work) {
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      return Future.failedFuture(new ChatException(ErrorCode.UNAVAILABLE, "server busy with logins: retry shortly"));
    }
    return workers.executeBlocking(work, false).onComplete(ar -> queued.decrementAndGet());
  }
}
