package chat.server;

import chat.config.Limits;
import chat.ops.ChatMetrics;
import chat.session.Outlet;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;

import java.util.function.BooleanSupplier;

/**
 * The one way to a connection's socket, for answers and pushes alike: a legacy session's lines go
 * out spaced ({@link LegacyPacer}), everyone else's at once. It counts what was handed to the
 * socket and is not out yet, so a client that reads nothing is found; a live push is refused while
 * the write queue is full (it stays owed), and catch-up writes wait for {@link #room}. Runs on the
 * connection's loop.
 */
final class Outbox implements Outlet {
  /** Lines a legacy session's pacing may hold; beyond that, live pushes are refused (they stay owed). */
  private static final int LEGACY_BACKLOG = 256;
  private static final String FORWARDED = "forwarded";
  private static final Future<Void> GONE = Future.failedFuture(new VertxException("connection closed", true));

  private final Transport transport;
  private final Context context;
  private final ChatMetrics metrics;
  private final BooleanSupplier legacy;
  private final LegacyPacer pacer;
  private Promise<Void> room;
  /** Writes handed to the socket and not yet out, and when the last one before them got out. */
  private int unflushed;
  private long lastFlush;
  private boolean closed;
  /** After bad input: answers before it still go out, pushes no more. */
  private boolean ending;

  /** {@code legacy}: whether the connection's session is a legacy one now (it may log in and out). */
  Outbox(Vertx vertx, Transport transport, Limits limits, ChatMetrics metrics, BooleanSupplier legacy) {
    this.transport = transport;
    this.context = vertx.getOrCreateContext();
    this.metrics = metrics;
    this.legacy = legacy;
    this.pacer = limits.legacyPushGapMillis() > 0 ? new LegacyPacer(vertx, limits.legacyPushGapMillis(), this::toSocket)
        : null;
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public Future<Void> push(Buffer line) {
    if (closed || ending || full()) {
      return null;
    }
    metrics.messageOut(FORWARDED);
    return write(line);
  }

  @Override
  public boolean full() {
    return transport.writeQueueFull() || (pacer != null && pacer.backlog() >= LEGACY_BACKLOG);
  }

  @Override
  public Future<Void> room() {
    if (closed) {
      return GONE;
    }
    if (!full()) {
      return Future.succeededFuture();
    }
    if (room == null) {
      room = Promise.promise();
    }
    return room.future();
  }

  @Override
  public Future<Void> write(Buffer line) {
    if (closed) {
      return GONE;
    }
    if (pacer != null && legacy.getAsBoolean()) {
      return pacer.write(line).andThen(done -> roomAgain());
    }
    return toSocket(line);
  }

  @Override
  public void close() {
    transport.close();
  }

  /** The client read enough of what waits for it (or a paced line went out): whoever waits for room goes on. */
  void roomAgain() {
    if (room != null && !full()) {
      Promise<Void> waiting = room;
      room = null;
      waiting.tryComplete();
    }
  }

  /** Bad input: from now on only the answers before it and the ERROR are written. */
  void ending() {
    ending = true;
  }

  /** The socket closed: nothing more is written, nobody waits for room. */
  void closed() {
    closed = true;
    if (pacer != null) {
      pacer.close();
    }
    if (room != null) {
      room.tryFail("connection closed");
      room = null;
    }
  }

  /** Since when ({@link System#nanoTime()}) the client has taken none of the writes waiting for it, or 0. */
  long stuckSince() {
    return unflushed > 0 ? lastFlush : 0;
  }

  /** Hands a line to the socket, counting it until it is out: a client that takes nothing is cut off. */
  private Future<Void> toSocket(Buffer line) {
    if (unflushed++ == 0) {
      lastFlush = System.nanoTime();
    }
    return transport.write(line).andThen(ar -> {
      unflushed--;
      lastFlush = System.nanoTime();
    });
  }
}
