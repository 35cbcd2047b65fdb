package chat.bench;

import chat.protocol.ErrorCode;
import chat.protocol.Framer;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;

/**
 * One client connection speaking the legacy framing: each request is followed by a NUL byte. What
 * the server sends is cut into JSON objects by the protocol's own {@link Framer}, so objects may
 * come one per line (our server), back to back with no separator (the classic server) or NUL
 * separated, split anywhere. Chat messages (msgid 6 and 10) never answer a request: this run's
 * bench payloads go to the {@link Deliveries} handler, any other chat message is stale; the pushes
 * asked for with {@code caps} go to the {@link Signals} handler. Every other object answers the
 * oldest pending {@link #request}, or is reported as unexpected. All of
 * it runs on the connection's event loop. (Reading chat lines straight from the bytes, as the bench
 * once did, spent 0.3-0.45 microseconds less per message, some 6 % of the bench's CPU per message,
 * with no gain that showed in throughput: not worth a second parser; see docs/PERFORMANCE.md.)
 */
final class BenchConnection implements Framer.Sink {

  /** Receives this run's bench payloads delivered to this connection. */
  interface Deliveries {
    void delivered(int stream, long seq, long sentNanos);
  }

  /**
   * Sees every chat message pushed to this connection, this run's or not, before its payload is
   * read: what checks the server's per-conversation numbering ({@code conv}, {@code cseq}) listens to.
   */
  interface Pushes {
    void pushed(ObjectNode message);
  }

  /**
   * Receives the pushes of msgid 36-44 a LOGIN asked for with {@code caps} (RECEIPT, TYPING,
   * PRESENCE, SOCIAL): never the answer to a request. Without one set they are unexpected.
   */
  interface Signals {
    void signal(ObjectNode message);
  }

  /** Objects nobody asked for (e.g. an ERROR caused by a chat message), and the server closing the connection. */
  interface Trouble {
    void unexpected(BenchConnection connection, ObjectNode message);

    void closed(BenchConnection connection);

    /**
     * A chat message that is not one of this run's: left stored by an earlier run (a legacy
     * session gets such messages pushed after its login), or not from the bench. Not an error.
     */
    default void stale(BenchConnection connection, ObjectNode message) {
    }
  }

  /** No limit worth the name: a login reply carries every offline message at once (as in the client). */
  private static final int MAX_FRAME_BYTES = Integer.MAX_VALUE;

  private final NetSocket socket;
  private final Trouble trouble;
  private final Payload payload = Payload.reusable();
  private final ArrayDeque<Promise<ObjectNode>> pending = new ArrayDeque<>();
  private Deliveries deliveries;
  private Pushes pushes;
  private Signals signals;
  private ObjectNode loginAck;
  private int run;
  private BenchUser user;
  private boolean closed;
  private volatile boolean closing;

  BenchConnection(NetSocket socket, Trouble trouble) {
    this.socket = socket;
    this.trouble = trouble;
    socket.handler(new Framer(MAX_FRAME_BYTES, this));
    socket.closeHandler(v -> onClose());
    socket.exceptionHandler(err -> socket.close());
  }

  BenchUser user() {
    return user;
  }

  void loggedInAs(BenchUser user, ObjectNode loginAck) {
    this.user = user;
    this.loginAck = loginAck;
  }

  /** The LOGIN_MSG_ACK this connection logged in with (its {@code offlinemsg} included), once; then null. */
  ObjectNode takeLoginAck() {
    ObjectNode ack = loginAck;
    loginAck = null;
    return ack;
  }

  /**
   * From now on every chat message pushed here is shown to {@code pushes} too (on this connection's
   * loop). Set it before the LOGIN to see everything that follows the login reply.
   */
  void pushes(Pushes pushes) {
    this.pushes = pushes;
  }

  /** From now on the pushes asked for with {@code caps} go to {@code signals} (on this connection's loop). */
  void signals(Signals signals) {
    this.signals = signals;
  }

  /** From now on, the payloads of {@code run} delivered here go to {@code deliveries}. */
  void deliveries(int run, Deliveries deliveries) {
    this.run = run;
    this.deliveries = deliveries;
  }

  boolean isClosed() {
    return closed;
  }

  /** Sends one request and completes with the next object the server sends that is not a chat message. */
  Future<ObjectNode> request(ObjectNode message) {
    if (closed) {
      return Future.failedFuture("connection closed");
    }
    Promise<ObjectNode> reply = Promise.promise();
    pending.add(reply);
    byte[] json = Messages.bytes(message);
    socket.write(Buffer.buffer(json.length + 1).appendBytes(json).appendByte((byte) 0));
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

  @Override
  public void frame(ObjectNode message) {
    int msgid = message.path("msgid").asInt();
    if (msgid == MsgId.ONE_CHAT || msgid == MsgId.GROUP_CHAT) {
      if (pushes != null) {
        pushes.pushed(message);
      }
      if (deliveries != null && payload.parse(message.path("msg").textValue()) && payload.run == run) {
        deliveries.delivered(payload.stream, payload.seq, payload.sentNanos);
      } else {
        trouble.stale(this, message);
      }
      return;
    }
    if (isSignal(msgid)) {
      if (signals != null) {
        signals.signal(message);
      } else {
        trouble.unexpected(this, message);
      }
      return;
    }
    Promise<ObjectNode> waiting = pending.poll();
    if (waiting != null) {
      waiting.complete(message);
    } else {
      trouble.unexpected(this, message);
    }
  }

  private static boolean isSignal(int msgid) {
    return switch (msgid) {
      case MsgId.RECEIPT, MsgId.TYPING, MsgId.PRESENCE, MsgId.SOCIAL -> true;
      default -> false;
    };
  }

  /** The server sent something that is not a stream of JSON objects: reported once, then closed. */
  @Override
  public void fail(ErrorCode code, String reason) {
    trouble.unexpected(this, JsonNodeFactory.instance.objectNode().put("unparsable", reason));
    close();
  }

  private void onClose() {
    closed = true;
    Promise<ObjectNode> waiting;
    while ((waiting = pending.poll()) != null) {
      waiting.fail("connection closed");
    }
    if (!closing) {
      trouble.closed(this);
    }
  }
}
