package chat.server;

import chat.cluster.Addresses;
import chat.cluster.CallerContext;
import chat.cluster.LocalSessions;
import chat.config.Limits;
import chat.protocol.ErrorCode;
import chat.protocol.Framer;
import chat.ops.ChatMetrics;
import chat.security.RateLimiter;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import chat.protocol.Request;
import chat.service.Dispatcher;
import chat.service.Mailbox;
import chat.service.Session;
import chat.store.User;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * One client connection: socket → framer → in-order request queue → dispatcher. Requests are
 * handled one at a time, in the order they arrived; reading pauses while too many wait. Deliveries
 * for the logged-in user arrive on the event bus and are acknowledged once written to the socket.
 * When the peer goes away, the queued requests are still handled (a chat sent just before closing
 * is not lost), then the user is logged out.
 */
final class Connection implements Session, LocalSessions.Target, Framer.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
  private static final int PAUSE_AT = 256;
  private static final int RESUME_AT = 32;
  private static final String FORWARDED = "forwarded";
  /** A client that keeps flooding after this many ERROR 107 in a row is cut off. */
  private static final int ABUSE_CLOSE_AFTER = 200;

  private static final Future<Void> SESSION_GONE = Future.failedFuture(new VertxException("session gone", true));
  private static final Future<Void> SLOW_CONSUMER = Future.failedFuture(new VertxException("slow consumer", true));

  /** A framing failure, queued behind the frames that came before it. */
  private record Failure(ErrorCode code, String reason) {
  }

  private final String id;
  private final Vertx vertx;
  private final NetSocket socket;
  private final Dispatcher dispatcher;
  // empty while the connection is idle: 2 slots, not the default 16 (56 bytes less); it grows for pipelined requests
  private final ArrayDeque<Object> inbox = new ArrayDeque<>(2);
  private final Promise<Void> finished = Promise.promise();
  private final RateLimiter limiter;
  private final ChatMetrics metrics;
  private final LocalSessions sessions;
  private final Context context;
  private int limitedInARow;
  /** {@link System#nanoTime()} of the last bytes read (or of the accept): the server closes silent connections. */
  private long lastRead;
  private boolean disconnecting;
  private boolean busy;
  private boolean paused;
  private volatile boolean closed;
  private User user;
  /** Raw bytes, not the hex text: 48 bytes instead of 104 on every logged-in connection. */
  private byte[] tokenDigest;
  private Mailbox mailbox;
  private MessageConsumer<Buffer> deliveries;

  Connection(String id, Vertx vertx, NetSocket socket, Dispatcher dispatcher, Limits limits, ChatMetrics metrics,
             LocalSessions sessions) {
    this.id = id;
    this.metrics = metrics;
    this.sessions = sessions;
    this.context = vertx.getOrCreateContext();
    metrics.connectionOpened();
    this.vertx = vertx;
    this.socket = socket;
    this.dispatcher = dispatcher;
    this.limiter = new RateLimiter(limits.messagesPerSecond(), limits.messageBurst());
    this.lastRead = System.nanoTime();
    Framer framer = new Framer(limits.maxFrameBytes(), this);
    socket.handler(chunk -> {
      lastRead = System.nanoTime();
      framer.handle(chunk);
    });
    socket.closeHandler(v -> {
      closed = true;
      pump();
    });
    socket.exceptionHandler(err -> LOG.debug("session {}: {}", id, err.toString()));
  }

  /** Completes once the connection closed and its user was logged out. */
  Future<Void> finished() {
    return finished.future();
  }

  void close() {
    socket.close();
  }

  /** Nanoseconds since the last bytes came in, or since the connection opened. */
  long silentNanos(long now) {
    return now - lastRead;
  }

  @Override
  public void frame(ObjectNode frame) {
    enqueue(frame);
  }

  @Override
  public void fail(ErrorCode code, String reason) {
    enqueue(new Failure(code, reason));
  }

  private void enqueue(Object item) {
    inbox.add(item);
    if (!paused && inbox.size() >= PAUSE_AT) {
      paused = true;
      socket.pause();
    }
    pump();
  }

  private void pump() {
    while (!busy && !inbox.isEmpty()) {
      Object next = inbox.poll();
      if (next instanceof Failure failure) {
        failed(failure);
        continue;
      }
      ObjectNode frame = (ObjectNode) next;
      metrics.messageIn(frame.path("msgid").asInt(-1));
      if (!limiter.tryAcquire()) {
        Request request = Request.of(frame);
        send(Messages.rejection(ErrorCode.RATE_LIMITED, "rate limited: slow down and retry", request.re(), request.seq()));
        if (++limitedInARow >= ABUSE_CLOSE_AFTER) {
          LOG.info("session {} from {} keeps flooding, closing", id, remoteAddress());
          inbox.clear();
          socket.close();
        }
        continue;
      }
      limitedInARow = 0;
      busy = true;
      Future<Void> handled = dispatcher.dispatch(this, frame);
      if (handled.isComplete()) {
        busy = false;
      } else {
        onContext(handled, ar -> {
          busy = false;
          pump();
        });
      }
    }
    if (paused && inbox.size() <= RESUME_AT && !closed) {
      paused = false;
      socket.resume();
    }
    if (closed && !busy && inbox.isEmpty() && !disconnecting) {
      disconnecting = true;
      onContext(dispatcher.disconnected(this), ar -> {
        metrics.connectionClosed();
        finished.tryComplete();
      });
    }
  }

  /**
   * Runs {@code then} on this connection's own event loop: the services' futures may complete on
   * another thread (a store worker, another loop), and this object's state is not shared.
   */
  private <T> void onContext(Future<T> future, Handler<AsyncResult<T>> then) {
    future.onComplete(ar -> {
      if (Vertx.currentContext() == context) {
        then.handle(ar);
      } else {
        context.runOnContext(v -> then.handle(ar));
      }
    });
  }

  /** Runs {@code work} on this connection's event loop (the consumer it registers belongs there too). */
  private Future<Void> onContext(Supplier<Future<Void>> work) {
    if (Vertx.currentContext() == context) {
      return work.get();
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(done));
    return done.future();
  }

  private void failed(Failure failure) {
    LOG.info("session {} sent bad input ({}), closing", id, failure.reason());
    inbox.clear();
    if (!closed) {
      sendFlushed(Messages.error(failure.code(), failure.reason())).onComplete(ar -> socket.close());
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String remoteAddress() {
    return socket.remoteAddress().hostAddress();
  }

  @Override
  public User user() {
    return user;
  }

  @Override
  public String tokenDigest() {
    return tokenDigest == null ? null : HexFormat.of().formatHex(tokenDigest);
  }

  @Override
  public void send(JsonNode message) {
    if (!closed) {
      sendFlushed(message);
    }
  }

  @Override
  public Future<Void> sendFlushed(JsonNode message) {
    if (closed) {
      return Future.failedFuture("connection closed");
    }
    int msgid = message.path("msgid").asInt();
    metrics.messageOut(String.valueOf(msgid));
    if (msgid == MsgId.ERROR) {
      metrics.errorReply(message.path("errno").asInt());
    }
    return socket.write(Messages.encode(message));
  }

  @Override
  public Future<Void> bind(long userId, String tokenDigest, Mailbox mailbox) {
    return onContext(() -> bindHere(userId, tokenDigest, mailbox));
  }

  private Future<Void> bindHere(long userId, String tokenDigest, Mailbox mailbox) {
    if (closed) {
      return Future.failedFuture("connection closed");
    }
    this.tokenDigest = HexFormat.of().parseHex(tokenDigest);
    this.mailbox = mailbox;
    deliveries = vertx.eventBus().localConsumer(Addresses.user(userId), this::onDelivery);
    return deliveries.completion();
  }

  @Override
  public Future<Void> admit(User user) {
    return onContext(() -> {
      if (closed || mailbox == null) {
        return Future.failedFuture("connection closed");
      }
      this.user = user;
      sessions.register(user.id(), this);
      metrics.loggedIn();
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Void> unbind() {
    return onContext(this::unbindHere);
  }

  private Future<Void> unbindHere() {
    MessageConsumer<Buffer> consumer = deliveries;
    if (user != null) {
      sessions.unregister(user.id(), this);
      metrics.loggedOut();
    }
    user = null;
    tokenDigest = null;
    mailbox = null;
    deliveries = null;
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** The router's fast path, from any event loop of this node. */
  @Override
  public Future<Void> deliver(Buffer line) {
    Context caller = Vertx.currentContext();
    return caller == context ? write(line) : CallerContext.returnTo(caller, onContext(() -> write(line)));
  }

  /** Writes a delivery unless the session is gone or its reader too slow (then the sender stores it). */
  private Future<Void> write(Buffer line) {
    if (closed || user == null) {
      return SESSION_GONE;
    }
    if (socket.writeQueueFull()) {
      // a slow reader does not hold up its senders: the message goes to the offline store instead
      return SLOW_CONSUMER;
    }
    metrics.messageOut(FORWARDED);
    return socket.write(line);
  }

  /** A message relayed from another node, or a signal: acknowledged only once it is on the socket. */
  private void onDelivery(Message<Buffer> message) {
    if (message.headers().contains(Addresses.DRAIN_HEADER)) {
      if (mailbox != null && !closed) {
        mailbox.drain(this);
      }
      return;
    }
    if (message.headers().contains(Addresses.KICK_HEADER)) {
      LOG.info("session {}: user {} is logged in elsewhere now, closing", id, user == null ? null : user.id());
      socket.close();
      return;
    }
    write(message.body()).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(null);
      } else {
        message.fail(1, ar.cause().getMessage());
      }
    });
  }
}
