package chat.server;

import chat.admission.FloodGuard;
import chat.config.Limits;
import chat.loop.Loop;
import chat.ops.ChatMetrics;
import chat.protocol.ErrorCode;
import chat.protocol.Framer;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import chat.service.Answer;
import chat.service.Dispatcher;
import chat.session.Session;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;

/**
 * One client connection, the socket side. Its pipeline, in order: transport → {@link Framer} →
 * request queue → {@link Dispatcher} (which runs the request as the connection's {@link Session});
 * answers come back in request order and, like every push, leave through the {@link Outbox}.
 * Requests are dispatched one at a time, each once the one before cannot be overtaken. While the
 * client's write queue is full no request is dispatched (pushes stay owed), and reading stops when
 * too many requests wait. When the peer goes away, the requests already read that change something
 * still run (a chat sent just before closing is not lost), those that only ask are dropped, then
 * the user is logged out. All state here stays on the connection's loop.
 */
final class Connection implements Framer.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
  private static final int PAUSE_AT = 256;
  private static final int RESUME_AT = 32;
  /** Requests dispatched whose answers are not out yet, at most: beyond, the connection waits (and stops reading). */
  private static final int MAX_ANSWERING = 256;

  /** A framing failure, queued behind the frames that came before it. */
  private record Failure(ErrorCode code, String reason) {
  }

  private final String id;
  private final Transport transport;
  private final Context context;
  private final Dispatcher dispatcher;
  private final ChatMetrics metrics;
  private final FloodGuard flood;
  private final Framer framer;
  private final Deadlines deadlines;
  private final Outbox outbox;
  private final Session session;
  // empty while the connection is idle: 2 slots, not the default 16; they grow for pipelined requests
  private final ArrayDeque<Object> requests = new ArrayDeque<>(2);
  private final ArrayDeque<Slot> answers = new ArrayDeque<>(2);
  private final Promise<Void> finished = Promise.promise();
  private boolean busy;
  private boolean paused;
  private boolean closed;
  private boolean disconnecting;
  /** Bad input: nothing more is dispatched; the connection ends once the answers before it are out. */
  private Failure failure;
  private boolean ending;

  Connection(String id, Vertx vertx, Transport transport, Dispatcher dispatcher, Limits limits, ChatMetrics metrics,
             Session.Shared shared) {
    this.id = id;
    this.transport = transport;
    this.context = vertx.getOrCreateContext();
    this.dispatcher = dispatcher;
    this.metrics = metrics;
    this.flood = new FloodGuard(limits.messagesPerSecond(), limits.messageBurst());
    this.framer = new Framer(limits.maxFrameBytes(), this);
    this.deadlines = new Deadlines(limits);
    this.outbox = new Outbox(vertx, transport, limits, metrics, this::legacy);
    this.session = Session.open(id, transport.remoteAddress(), transport.mayBeLegacy(), outbox, shared);
    metrics.connectionOpened();
    transport.handler(this::read);
    transport.roomHandler(v -> roomAgain());
    transport.closeHandler(v -> onClose());
  }

  private boolean legacy() {
    return session.legacy();
  }

  String id() {
    return id;
  }

  /** Completes once the connection closed and its user was logged out. */
  Future<Void> finished() {
    return finished.future();
  }

  void close() {
    transport.close();
  }

  /** Closes at once, dropping what waits to be written (a client stuck past its bound). */
  void abort() {
    transport.abort();
  }

  /**
   * Why the server should close this connection now, or null (see {@link Deadlines}). The sweep that
   * asks also has the session forget its quiet conversations.
   */
  String overdue(long now) {
    session.forgetIdle(now);
    return deadlines.overdue(now, outbox.stuckSince());
  }

  // --- inbound: bytes → frames → requests, in order ---

  private void read(Buffer chunk) {
    framer.handle(chunk);
    if (transport.chunksAreMessages()) {
      framer.endOfMessage();
    }
    if (framer.inFrame()) {
      deadlines.requestStarted();
    }
  }

  @Override
  public void frame(ObjectNode frame) {
    // only a whole request counts as activity: a trickle of bytes does not keep a connection open
    deadlines.requestArrived();
    enqueue(frame);
  }

  @Override
  public void fail(ErrorCode code, String reason) {
    enqueue(new Failure(code, reason));
  }

  private void enqueue(Object item) {
    requests.add(item);
    if (!paused && requests.size() >= PAUSE_AT) {
      paused = true;
      transport.pause();
    }
    pump();
  }

  private void pump() {
    // a client that does not read its answers is not served more of them (closed: the rest still runs)
    while (!busy && failure == null && !requests.isEmpty() && answers.size() < MAX_ANSWERING
        && (closed || !transport.writeQueueFull())) {
      Object next = requests.poll();
      if (next instanceof Failure bad) {
        failure = bad;
        requests.clear();
        flushAnswers();
        break;
      }
      dispatch((ObjectNode) next);
    }
    if (paused && requests.size() <= RESUME_AT && !closed && failure == null) {
      paused = false;
      transport.resume();
    }
    if (closed && !busy && (requests.isEmpty() || failure != null) && !disconnecting) {
      disconnecting = true;
      dispatcher.disconnected(session).onComplete(ar -> Loop.run(context, () -> {
        metrics.connectionClosed();
        finished.tryComplete();
      }));
    }
  }

  private void dispatch(ObjectNode frame) {
    metrics.messageIn(frame.path("msgid").asInt(-1));
    Slot slot = new Slot();
    answers.add(slot);
    FloodGuard.Verdict verdict = flood.next();
    if (verdict != FloodGuard.Verdict.ADMIT) {
      Request request = Request.of(frame);
      slot.send(Messages.rejection(ErrorCode.RATE_LIMITED, "rate limited: slow down and retry", request.re(),
          request.seq()));
      if (verdict == FloodGuard.Verdict.CUT_OFF) {
        LOG.info("connection {} from {} keeps flooding, closing", id, session.remoteAddress());
        requests.clear();
        transport.close();
      }
      return;
    }
    busy = true;
    Future<Void> accepted = dispatcher.dispatch(session, frame, slot);
    if (accepted.isComplete()) {
      busy = false;
    } else {
      accepted.onComplete(ar -> Loop.run(context, () -> {
        busy = false;
        pump();
      }));
    }
  }

  // --- outbound: answers in request order ---

  /** The answer slot of one request; answers are written in the order of their slots. */
  private final class Slot implements Answer {
    private final Promise<Void> written = Promise.promise();
    private Buffer line;
    private boolean filled;

    @Override
    public Future<Void> send(JsonNode message) {
      return Loop.call(context, () -> {
        fill(encode(message));
        return written.future();
      });
    }

    @Override
    public void none() {
      Loop.run(context, () -> fill(null));
    }

    private void fill(Buffer answer) {
      if (!filled) {
        filled = true;
        line = answer;
        flushAnswers();
      }
    }
  }

  private void flushAnswers() {
    boolean wereFull = answers.size() >= MAX_ANSWERING;
    while (!answers.isEmpty() && answers.peek().filled) {
      Slot next = answers.poll();
      if (next.line == null) {
        next.written.tryComplete();
      } else {
        outbox.write(next.line).onComplete(next.written);
      }
    }
    if (wereFull && answers.size() < MAX_ANSWERING) {
      pump();
    }
    if (failure != null && answers.isEmpty() && !ending) {
      ending = true;
      outbox.ending();
      LOG.info("connection {} sent bad input ({}), closing", id, failure.reason());
      // every answer before the bad input is out: the ERROR, then a close that loses nothing
      outbox.write(encode(Messages.error(failure.code(), failure.reason())))
          .onComplete(ar -> transport.closeAfterError());
    }
  }

  private Buffer encode(JsonNode message) {
    int msgid = message.path("msgid").asInt();
    metrics.messageOut(String.valueOf(msgid));
    if (msgid == MsgId.ERROR) {
      metrics.errorReply(message.path("errno").asInt());
    }
    return Messages.encode(message);
  }

  /** The client read enough of its write queue: serve it again. */
  private void roomAgain() {
    outbox.roomAgain();
    pump();
  }

  private void onClose() {
    closed = true;
    outbox.closed();
    session.closed();
    // nobody will read these answers: a client that queued many SYNCs and left costs nothing more
    requests.removeIf(r -> r instanceof ObjectNode frame && MsgId.onlyAnswers(frame.path("msgid").asInt(-1)));
    pump();
  }
}
