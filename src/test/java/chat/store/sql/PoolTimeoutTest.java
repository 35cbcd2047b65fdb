package chat.store.sql;

import chat.config.StoreConfig;
import chat.store.Store;
import chat.testing.StoreTestBase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static chat.testing.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store far slower than its callers, from two event loops at once, with a short acquire timeout:
 * every request succeeds or times out exactly once, and the pool is whole afterwards. Vert.x 5.0.7's
 * own acquire timeout can race a connection's hand-over, complete a request twice ("Promise already
 * completed") and lose that connection for good.
 */
class PoolTimeoutTest extends StoreTestBase {
  private static final int REQUESTS_PER_LOOP = 4000;

  @Override
  protected int poolSize() {
    return 1;
  }

  @Override
  protected Future<Store> open(Vertx vertx, StoreConfig config) {
    return SqlStore.open(vertx, config, Duration.ofMillis(5));
  }

  @Test
  void everyRequestEndsOnceAndNoConnectionIsLost(Vertx vertx) throws Exception {
    long creator = await(store.users().create("creator", "h"));
    ConcurrentLinkedQueue<Throwable> unhandled = new ConcurrentLinkedQueue<>();
    vertx.exceptionHandler(unhandled::add);
    AtomicInteger ended = new AtomicInteger();
    AtomicInteger succeeded = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(2 * REQUESTS_PER_LOOP);
    for (Context loop : List.of(vertx.getOrCreateContext(), ((VertxInternal) vertx).createEventLoopContext())) {
      loop.runOnContext(v -> {
        int[] sent = {0};
        vertx.setPeriodic(1, timer -> {
          // transactions and single statements, more than one connection can serve
          for (int i = 0; i < 10 && sent[0] < REQUESTS_PER_LOOP; i++, sent[0]++) {
            Future<?> request = sent[0] % 2 == 0
                ? store.groups().create(creator, "g", "d")
                : store.users().find(creator);
            request.onComplete(ar -> {
              ended.incrementAndGet();
              if (ar.succeeded()) {
                succeeded.incrementAndGet();
              }
              done.countDown();
            });
          }
          if (sent[0] == REQUESTS_PER_LOOP) {
            vertx.cancelTimer(timer);
          }
        });
      });
    }
    assertTrue(done.await(60, TimeUnit.SECONDS), "every request ended");
    Thread.sleep(500);
    assertEquals(List.of(), List.copyOf(unhandled), "no request was completed twice");
    assertEquals(2 * REQUESTS_PER_LOOP, ended.get(), "no request ended twice");
    assertTrue(succeeded.get() > 0 && succeeded.get() < ended.get(), "some were served, some timed out: " + succeeded);
    // the pool's one connection is back: with nothing else going on, a request gets it at once
    for (int i = 0; i < 5; i++) {
      assertTrue(await(store.users().find(creator)).isPresent());
    }
  }
}
