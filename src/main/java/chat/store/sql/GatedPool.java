package chat.store.sql;

import chat.loop.Loop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The pool behind a wait queue of our own. Vert.x 5.0.7's acquire timeout can fail a request and
 * then hand it a connection anyway: the request is completed twice ("Promise already completed")
 * and the connection is never given back, so every such race costs the pool a connection for good
 * (eclipse-vertx/vert.x#6169, eclipse-vertx/vertx-sql-client#1620). Here the pool has no timeout and
 * no waiters: at most as many operations as it has connections use it at once; the others wait
 * here, in order, and one that waits too long fails without ever running (nothing was changed).
 */
final class GatedPool {
  /** Operations waiting beyond this many are refused at once. */
  private static final int MAX_WAITING = 10_000;

  private final Vertx vertx;
  private final Pool pool;
  private final Dialect dialect;
  private final int permits;
  private final long timeoutMillis;
  private final String busy;

  // guarded by this: every event loop of the node uses the one pool
  private int inUse;
  private int waitingCount;
  /** Waiters in arrival order; an expired one leaves when it reaches the head. */
  private final ArrayDeque<Waiter<?>> waiting = new ArrayDeque<>();

  private static final class Waiter<T> {
    final Supplier<Future<T>> operation;
    final Context context;
    final Promise<T> promise = Promise.promise();
    long timer;
    /** Set once, under the pool's lock: whichever comes first wins. */
    boolean started;
    boolean expired;

    Waiter(Supplier<Future<T>> operation, Context context) {
      this.operation = operation;
      this.context = context;
    }
  }

  GatedPool(Vertx vertx, Pool pool, Dialect dialect, int size, Duration timeout) {
    this.vertx = vertx;
    this.pool = pool;
    this.dialect = dialect;
    this.permits = size;
    this.timeoutMillis = timeout.toMillis();
    this.busy = "no store connection free within " + timeoutMillis + " ms";
  }

  /** One prepared statement. */
  Future<RowSet<Row>> execute(String sql, Tuple params) {
    return run(() -> pool.preparedQuery(sql).execute(params));
  }

  /** One statement without parameters. */
  Future<RowSet<Row>> query(String sql) {
    return run(() -> pool.query(sql).execute());
  }

  /** {@code work} on one connection (its statements pipelined, where the database allows). */
  <T> Future<T> withConnection(Function<SqlConnection, Future<T>> work) {
    return run(() -> pool.withConnection(work));
  }

  /** A statement and its parameters. */
  record Statement(String sql, Tuple params) {
  }

  /**
   * The statements in one transaction, sent together where the client pipelines them (one round
   * trip on MySQL). A statement that fails does not keep the later ones from running and being
   * committed: only for later statements that are harmless alone. Fails with the first failure.
   */
  Future<Void> together(List<Statement> statements) {
    return run(() -> dialect.together(pool, statements));
  }

  /** {@code work} on one connection, in a transaction. */
  <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return run(() -> dialect.inTransaction(pool, work));
  }

  Future<Void> close() {
    return pool.close();
  }

  private <T> Future<T> run(Supplier<Future<T>> operation) {
    Waiter<T> waiter;
    synchronized (this) {
      if (inUse < permits) {
        inUse++;
        waiter = null;
      } else if (waitingCount >= MAX_WAITING) {
        return Future.failedFuture(new VertxException(busy, true));
      } else {
        waiter = new Waiter<>(operation, vertx.getOrCreateContext());
        waiting.add(waiter);
        waitingCount++;
        // on the caller's event loop, like everything that completes its promise
        waiter.timer = vertx.setTimer(timeoutMillis, id -> expire(waiter));
      }
    }
    return waiter == null ? start(operation) : waiter.promise.future();
  }

  private <T> Future<T> start(Supplier<Future<T>> operation) {
    Future<T> result;
    try {
      result = operation.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.andThen(done -> release());
  }

  private void expire(Waiter<?> waiter) {
    synchronized (this) {
      if (waiter.started || waiter.expired) {
        return;
      }
      waiter.expired = true;
      waitingCount--;
      // all wait equally long, so they expire in arrival order: drop them here when nothing is released
      while (!waiting.isEmpty() && waiting.peek().expired) {
        waiting.poll();
      }
    }
    waiter.promise.fail(new VertxException(busy, true));
  }

  /** Hands the connection's permit to the first waiter still waiting, or gives it back. */
  private void release() {
    Waiter<?> next;
    synchronized (this) {
      do {
        next = waiting.poll();
      } while (next != null && next.expired);
      if (next == null) {
        inUse--;
        return;
      }
      next.started = true;
      waitingCount--;
    }
    vertx.cancelTimer(next.timer);
    startOnItsContext(next);
  }

  private <T> void startOnItsContext(Waiter<T> waiter) {
    Loop.run(waiter.context, () -> start(waiter.operation).onComplete(waiter.promise));
  }
}
