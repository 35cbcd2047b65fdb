package chat.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;

/**
 * One client connection speaking the legacy framing: each request is followed by a NUL byte; the
 * server's replies are NDJSON lines. Bench chat lines go straight to the {@link Deliveries}
 * handler (parsed from the bytes); any other line answers the oldest pending {@link #request}, or
 * is reported as unexpected. All of it runs on the connection's event loop.
 */
final class BenchConnection {

  /** Receives the bench payloads delivered to this connection. */
  interface Deliveries {
    void delivered(int stream, long seq, long sentNanos);
  }

  /** Lines nobody asked for (e.g. an ERROR caused by a chat message), and the server closing the connection. */
  interface Trouble {
    void unexpected(BenchConnection connection, JsonObject line);

    void closed(BenchConnection connection);
  }

  private static final Buffer NUL = Buffer.buffer(new byte[] {0});

  private final NetSocket socket;
  private final Trouble trouble;
  private final Payload payload = Payload.reusable();
  private final ArrayDeque<Promise<JsonObject>> pending = new ArrayDeque<>();
  private Deliveries deliveries;
  private Buffer partial;
  private BenchUser user;
  private boolean closed;
  private volatile boolean closing;

  BenchConnection(NetSocket socket, Trouble trouble) {
    this.socket = socket;
    this.trouble = trouble;
    socket.handler(this::onData);
    socket.closeHandler(v -> onClose());
    socket.exceptionHandler(err -> socket.close());
  }

  BenchUser user() {
    return user;
  }

  void loggedInAs(BenchUser user) {
    this.user = user;
  }

  void deliveries(Deliveries deliveries) {
    this.deliveries = deliveries;
  }

  boolean isClosed() {
    return closed;
  }

  /** Sends one request and completes with the next non-chat line the server sends. */
  Future<JsonObject> request(JsonObject message) {
    if (closed) {
      return Future.failedFuture("connection closed");
    }
    Promise<JsonObject> reply = Promise.promise();
    pending.add(reply);
    socket.write(Buffer.buffer(message.encode()).appendBuffer(NUL));
    return reply.future();
  }

  /** Writes a frame the caller built (already NUL-terminated); no reply is expected. */
  void write(Buffer frame) {
    if (!closed) {
      socket.write(frame);
    }
  }

  /** Closes the connection; its closing is then not reported as trouble. */
  Future<Void> close() {
    closing = true;
    return socket.close();
  }

  private void onData(Buffer chunk) {
    Buffer data = partial == null ? chunk : partial.appendBuffer(chunk);
    int start = 0;
    int length = data.length();
    for (int i = 0; i < length; i++) {
      if (data.getByte(i) == '\n') {
        onLine(data, start, i);
        start = i + 1;
      }
    }
    partial = start < length ? data.getBuffer(start, length) : null;
  }

  private void onLine(Buffer data, int start, int end) {
    if (deliveries != null && payload.parse(data, start, end)) {
      deliveries.delivered(payload.stream, payload.seq, payload.sentNanos);
      return;
    }
    JsonObject line;
    try {
      line = new JsonObject(data.getString(start, end));
    } catch (RuntimeException e) {
      line = new JsonObject().put("unparsable", data.getString(start, end));
    }
    Promise<JsonObject> waiting = pending.poll();
    if (waiting != null) {
      waiting.complete(line);
    } else {
      trouble.unexpected(this, line);
    }
  }

  private void onClose() {
    closed = true;
    Promise<JsonObject> waiting;
    while ((waiting = pending.poll()) != null) {
      waiting.fail("connection closed");
    }
    if (!closing) {
      trouble.closed(this);
    }
  }
}
