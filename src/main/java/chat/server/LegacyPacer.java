package chat.server;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Spaces the writes to a legacy session: the classic client reads each reply with one 1024-byte
 * recv and parses it as one JSON text, so no two lines may reach it in one read. Each line waits
 * until {@code gapMillis} after the one before it, then goes out in a write of its own. Runs on the
 * connection's loop.
 */
final class LegacyPacer {
  /** A line waiting for its turn. */
  private record Paced(Buffer line, Promise<Void> written) {
  }

  private final Vertx vertx;
  private final long gapMillis;
  private final Function<Buffer, Future<Void>> socket;
  private final ArrayDeque<Paced> waiting = new ArrayDeque<>();
  private long timer = -1;
  private long lastWrite;

  /** {@code socket}: hands a line to the socket, completing once it is out. */
  LegacyPacer(Vertx vertx, long gapMillis, Function<Buffer, Future<Void>> socket) {
    this.vertx = vertx;
    this.gapMillis = gapMillis;
    this.socket = socket;
  }

  /** Queues a line; completes once it is written. */
  Future<Void> write(Buffer line) {
    Promise<Void> written = Promise.promise();
    waiting.add(new Paced(line, written));
    if (timer == -1) {
      writeNext();
    }
    return written.future();
  }

  /** Lines waiting for their turn. */
  int backlog() {
    return waiting.size();
  }

  /** The connection closed: nothing more is written. */
  void close() {
    vertx.cancelTimer(timer);
    waiting.forEach(p -> p.written().tryFail("connection closed"));
    waiting.clear();
  }

  private void writeNext() {
    timer = -1;
    if (waiting.isEmpty()) {
      return;
    }
    long wait = lastWrite + TimeUnit.MILLISECONDS.toNanos(gapMillis) - System.nanoTime();
    if (wait > 0) {
      timer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), t -> writeNext());
      return;
    }
    Paced next = waiting.poll();
    lastWrite = System.nanoTime();
    // the next turn is booked before this line goes out: its completion may queue the next line at once
    timer = vertx.setTimer(gapMillis, t -> writeNext());
    socket.apply(next.line()).onComplete(next.written());
  }
}
