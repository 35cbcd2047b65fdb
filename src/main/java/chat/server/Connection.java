package chat.server;

import chat.config.Limits;
import chat.context.CallerContext;
import chat.delivery.UserSession;
import chat.ops.ChatMetrics;
import chat.protocol.ErrorCode;
import chat.protocol.Framer;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import chat.security.RateLimiter;
import chat.service.Dispatcher;
import chat.service.Reply;
import chat.service.Session;
import chat.store.LogStore;
import chat.store.User;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One client connection, the socket side: socket → framer → request queue → dispatcher, and back:
 * answers in request order, pushes, backpressure. Requests are dispatched one at a time, each once
 * the one before cannot be overtaken; answers leave in the order the requests came. While the
 * client's write queue is full no request is dispatched and no push taken (those are stored), and
 * a client that stays that way is cut off. When the peer goes away, the requests already read that
 * change something are still handled (a chat sent just before closing is not lost), those that only
 * ask are dropped, then the user is logged out. The
 * logged-in half lives in a {@link UserSession}; all state here stays on the connection's loop.
 */
final class Connection implements Session, Framer.Sink, UserSession.Outlet {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
  private static final int PAUSE_AT = 256;
  private static final int RESUME_AT = 32;
  /** A client that keeps flooding after this many ERROR 107 in a row is cut off. */
  private static final int ABUSE_CLOSE_AFTER = 200;
  /** Lines a legacy session's pacing may hold; beyond that, live pushes are stored instead. */
  private static final int LEGACY_BACKLOG = 256;
  private static final String FORWARDED = "forwarded";
  private static final Future<Void> GONE = Future.failedFuture(new VertxException("connection closed", true));

  /** A framing failure, queued behind the frames that came before it. */
  private record Failure(ErrorCode code, String reason) {
  }

  /** A line for a legacy session, waiting for its turn. */
  private record Paced(Buffer line, Promise<Void> written) {
  }

  private final String id;
  private final Vertx vertx;
  private final Transport transport;
  private final Context context;
  private final Dispatcher dispatcher;
  private final Limits limits;
  private final ChatMetrics metrics;
  private final UserSession.Shared shared;
  private final RateLimiter limiter;
  private final Framer framer;
  // empty while the connection is idle: 2 slots, not the default 16; they grow for pipelined requests
  private final ArrayDeque<Object> requests = new ArrayDeque<>(2);
  private final ArrayDeque<Answer> answers = new ArrayDeque<>(2);
  private final Promise<Void> finished = Promise.promise();
  private ArrayDeque<Paced> paced;
  private long pacingTimer = -1;
  private long lastPacedWrite;
  private Promise<Void> room;
  /** {@link System#nanoTime()} of the last whole request (or of the accept): the server closes silent connections. */
  private long lastRequest;
  /** When the frame now arriving began, 0 between frames: a frame must arrive whole in time. */
  private long frameStart;
  /** Writes handed to the socket and not yet out, and when the last one before them got out. */
  private int unflushed;
  private long lastFlush;
  private int limitedInARow;
  private boolean busy;
  private boolean paused;
  private boolean closed;
  private boolean disconnecting;
  /** Bad input: nothing more is dispatched; the connection ends once the answers before it are out. */
  private Failure failure;
  private boolean ending;
  private UserSession session;

  Connection(String id, Vertx vertx, Transport transport, Dispatcher dispatcher, Limits limits, ChatMetrics metrics,
             UserSession.Shared shared) {
    this.id = id;
    this.vertx = vertx;
    this.transport = transport;
    this.context = vertx.getOrCreateContext();
    this.dispatcher = dispatcher;
    this.limits = limits;
    this.metrics = metrics;
    this.shared = shared;
    this.limiter = new RateLimiter(limits.messagesPerSecond(), limits.messageBurst());
    this.framer = new Framer(limits.maxFrameBytes(), this);
    this.lastRequest = System.nanoTime();
    metrics.connectionOpened();
    transport.handler(this::read);
    transport.drainHandler(v -> roomAgain());
    transport.closeHandler(v -> onClose());
  }

  /** Completes once the connection closed and its user was logged out. */
  Future<Void> finished() {
    return finished.future();
  }

  @Override
  public void close() {
    transport.close();
  }

  /** Closes at once, dropping what waits to be written (a client stuck past its bound). */
  void abort() {
    transport.abort();
  }

  /**
   * Why the server should close this connection now, or null: silent, a frame too slow, a reader
   * stuck. (The sweep that asks also has the session forget its quiet conversations.)
   */
  String overdue(long now) {
    if (session != null) {
      session.forgetIdle(now);
    }
    if (now - lastRequest > TimeUnit.SECONDS.toNanos(limits.idleSeconds())) {
      return "no request for " + limits.idleSeconds() + " s";
    }
    if (frameStart != 0 && now - frameStart > TimeUnit.SECONDS.toNanos(limits.frameSeconds())) {
      return "a request took over " + limits.frameSeconds() + " s to arrive";
    }
    if (unflushed > 0 && now - lastFlush > TimeUnit.SECONDS.toNanos(limits.slowReaderSeconds())) {
      return "read nothing for " + limits.slowReaderSeconds() + " s while writes waited";
    }
    return null;
  }

  // --- inbound: bytes → frames → requests, in order ---

  private void read(Buffer chunk) {
    framer.handle(chunk);
    if (transport.chunksAreMessages()) {
      framer.endOfMessage();
    }
    if (framer.inFrame() && frameStart == 0) {
      frameStart = System.nanoTime();
    }
  }

  @Override
  public void frame(ObjectNode frame) {
    // only a whole request counts as activity: a trickle of bytes does not keep a connection open
    lastRequest = System.nanoTime();
    frameStart = 0;
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
    while (!busy && failure == null && !requests.isEmpty() && (closed || !transport.writeQueueFull())) {
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
      dispatcher.disconnected(this).onComplete(ar -> CallerContext.enter(context, () -> {
        metrics.connectionClosed();
        finished.tryComplete();
      }));
    }
  }

  private void dispatch(ObjectNode frame) {
    metrics.messageIn(frame.path("msgid").asInt(-1));
    Answer answer = new Answer();
    answers.add(answer);
    if (!limiter.tryAcquire()) {
      Request request = Request.of(frame);
      answer.send(Messages.rejection(ErrorCode.RATE_LIMITED, "rate limited: slow down and retry", request.re(),
          request.seq()));
      if (++limitedInARow >= ABUSE_CLOSE_AFTER) {
        LOG.info("connection {} from {} keeps flooding, closing", id, remoteAddress());
        requests.clear();
        transport.close();
      }
      return;
    }
    limitedInARow = 0;
    busy = true;
    Future<Void> accepted = dispatcher.dispatch(this, frame, answer);
    if (accepted.isComplete()) {
      busy = false;
    } else {
      accepted.onComplete(ar -> CallerContext.enter(context, () -> {
        busy = false;
        pump();
      }));
    }
  }

  // --- outbound: answers in request order, then every write through one place ---

  /** The answer slot of one request; answers are written in the order of their slots. */
  private final class Answer implements Reply {
    private final Promise<Void> written = Promise.promise();
    private Buffer line;
    private boolean filled;

    @Override
    public Future<Void> send(JsonNode message) {
      return CallerContext.call(context, () -> {
        fill(encode(message));
        return written.future();
      });
    }

    @Override
    public void none() {
      CallerContext.enter(context, () -> fill(null));
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
    while (!answers.isEmpty() && answers.peek().filled) {
      Answer next = answers.poll();
      if (next.line == null) {
        next.written.tryComplete();
      } else {
        write(next.line).onComplete(next.written);
      }
    }
    if (failure != null && answers.isEmpty() && !ending) {
      ending = true;
      endAfterBadInput();
    }
  }

  /** Every answer before the bad input is out: the ERROR, then a close that loses nothing. */
  private void endAfterBadInput() {
    LOG.info("connection {} sent bad input ({}), closing", id, failure.reason());
    write(encode(Messages.error(failure.code(), failure.reason()))).onComplete(ar -> transport.closeAfterError());
  }

  private Buffer encode(JsonNode message) {
    int msgid = message.path("msgid").asInt();
    metrics.messageOut(String.valueOf(msgid));
    if (msgid == MsgId.ERROR) {
      metrics.errorReply(message.path("errno").asInt());
    }
    return Messages.encode(message);
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
    return transport.writeQueueFull() || (paced != null && paced.size() >= LEGACY_BACKLOG);
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

  /** The client read enough of its write queue: serve it again. */
  private void roomAgain() {
    signalRoom();
    pump();
  }

  private void signalRoom() {
    if (room != null && !full()) {
      Promise<Void> waiting = room;
      room = null;
      waiting.tryComplete();
    }
  }

  /** The one way to the socket: a legacy session's lines go out spaced, everyone else's at once. */
  @Override
  public Future<Void> write(Buffer line) {
    if (closed) {
      return GONE;
    }
    Future<Void> written;
    if (session != null && session.legacy() && limits.legacyPushGapMillis() > 0) {
      Promise<Void> promise = Promise.promise();
      if (paced == null) {
        paced = new ArrayDeque<>();
      }
      paced.add(new Paced(line, promise));
      if (pacingTimer == -1) {
        writePaced();
      }
      written = promise.future();
    } else {
      written = toSocket(line);
    }
    return written;
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

  /** Writes the next paced line once the gap since the last one has passed, each in a write of its own. */
  private void writePaced() {
    pacingTimer = -1;
    if (closed || paced.isEmpty()) {
      return;
    }
    long gap = TimeUnit.MILLISECONDS.toNanos(limits.legacyPushGapMillis());
    long wait = lastPacedWrite + gap - System.nanoTime();
    if (wait > 0) {
      pacingTimer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), t -> writePaced());
      return;
    }
    Paced next = paced.poll();
    lastPacedWrite = System.nanoTime();
    toSocket(next.line()).onComplete(next.written());
    if (!paced.isEmpty()) {
      pacingTimer = vertx.setTimer(limits.legacyPushGapMillis(), t -> writePaced());
    }
    signalRoom();
  }

  private void onClose() {
    closed = true;
    // nobody will read these answers: a client that queued many SYNCs and left costs nothing more
    requests.removeIf(r -> r instanceof ObjectNode frame && MsgId.onlyAnswers(frame.path("msgid").asInt(-1)));
    if (paced != null) {
      paced.forEach(p -> p.written().tryFail("connection closed"));
      paced.clear();
    }
    if (room != null) {
      room.tryFail("connection closed");
      room = null;
    }
    pump();
  }

  // --- the services' view: who this is ---

  @Override
  public String id() {
    return id;
  }

  @Override
  public String remoteAddress() {
    return transport.remoteAddress();
  }

  @Override
  public User user() {
    return session == null ? null : session.user();
  }

  @Override
  public String tokenDigest() {
    return session == null || session.tokenDigest() == null ? null : HexFormat.of().formatHex(session.tokenDigest());
  }

  @Override
  public boolean legacy() {
    return session != null && session.legacy();
  }

  @Override
  public boolean mayBeLegacy() {
    return transport.mayCarryClassicClient();
  }

  @Override
  public Future<Void> bind(long userId, String tokenDigest, boolean legacy, Set<String> caps) {
    return CallerContext.call(context, () -> {
      if (closed) {
        return GONE;
      }
      // kept as raw bytes, not hex text: it lives as long as the session (docs/PERFORMANCE.md)
      byte[] digest = tokenDigest == null ? null : HexFormat.of().parseHex(tokenDigest);
      session = UserSession.bind(id, userId, digest, legacy, caps, this, shared);
      return Future.succeededFuture();
    });
  }

  @Override
  public void appended(LogStore.Entry entry) {
    CallerContext.enter(context, () -> {
      if (session != null) {
        session.appended(entry);
      }
    });
  }

  @Override
  public Future<Void> admit(User user, List<LogStore.Entry> sent, boolean more) {
    return CallerContext.call(context, () -> {
      if (closed || session == null) {
        return GONE;
      }
      session.admit(user, sent, more);
      metrics.loggedIn();
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Void> unbind() {
    return CallerContext.call(context, () -> {
      if (session == null) {
        return Future.succeededFuture();
      }
      if (session.user() != null) {
        metrics.loggedOut();
      }
      UserSession ending = session;
      session = null;
      return ending.end();
    });
  }
}
