package chat.delivery;

import chat.context.CallerContext;
import chat.store.LogStore;
import chat.store.User;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/**
 * The logged-in half of a connection: who it is, the token it holds, what it asked to be pushed
 * ({@code caps}), its place in each conversation, and the one entrance ({@link Recipient}) through
 * which everything addressed to it arrives. Bound when a login has claimed the user (signals are
 * taken from then on), admitted once the login reply is out (messages are written from then on),
 * ended by logout or close. Its state lives on the connection's event loop; every entry hops there
 * first. What it was not pushed stays owed in the log and is caught up from there.
 */
public final class UserSession implements Recipient {
  private static final Logger LOG = LoggerFactory.getLogger(UserSession.class);
  private static final Future<Boolean> REFUSED = Future.succeededFuture(false);
  private static final Future<Boolean> TAKEN = Future.succeededFuture(true);
  /** Owed messages read from the log at once. */
  static final int PAGE = 1000;

  /** The socket side of the connection, as a session writes to it. Called on its own loop only. */
  public interface Outlet {
    Context context();

    /** A live push: written now (the future completes once it is on the socket), or null when refused. */
    Future<Void> push(Buffer line);

    /** Whether a write now would overfill the connection's write queue. */
    boolean full();

    /** Completes once there is room again; fails if the connection closes first. */
    Future<Void> room();

    /** Writes whatever the queue holds (callers wait for {@link #room} first); completes once written. */
    Future<Void> write(Buffer line);

    void close();
  }

  /** What a node's sessions share; {@code maxPerUser} above 1: a user's own messages reach their other sessions. */
  public record Shared(Vertx vertx, LogStore log, CursorBook cursors, LocalSessions sessions, int maxPerUser) {
  }

  private enum State { BOUND, ADMITTED, ENDED }

  private final String id;
  private final long userId;
  private final byte[] tokenDigest;
  private final boolean legacy;
  private final Set<String> caps;
  private final Outlet outlet;
  private final Context context;
  private final Shared shared;
  private final ConvStreams streams;
  private State state = State.BOUND;
  private User user;
  /** The login counts as the first catch-up: one asked for meanwhile waits for its end. */
  private boolean catchingUp = true;
  private boolean again;

  private UserSession(String id, long userId, byte[] tokenDigest, boolean legacy, Set<String> caps, Outlet outlet,
                      Shared shared) {
    this.id = id;
    this.userId = userId;
    this.tokenDigest = tokenDigest;
    this.legacy = legacy;
    this.caps = caps;
    this.outlet = outlet;
    this.context = outlet.context();
    this.shared = shared;
    this.streams = new ConvStreams(userId, shared.maxPerUser() > 1, shared.vertx(), shared.log(), shared.cursors(),
        new ConvStreams.Writer() {
      @Override
      public Future<Boolean> push(Outbound message) {
        return write(message);
      }

      @Override
      public Future<Boolean> catchUp(Outbound message) {
        return writeWhenRoom(message);
      }

      @Override
      public void fellBehind() {
        drain();
      }
    });
  }

  /**
   * Binds a session for a user whose claim was just won, on the outlet's loop: from now on drain
   * and kick signals reach it; messages are refused (they stay owed) until {@link #admit}.
   */
  public static UserSession bind(String id, long userId, byte[] tokenDigest, boolean legacy, Set<String> caps,
                                 Outlet outlet, Shared shared) {
    UserSession session = new UserSession(id, userId, tokenDigest, legacy, Set.copyOf(caps), outlet, shared);
    shared.sessions().register(userId, session);
    return session;
  }

  /** The session's id, unique in the cluster (its connection's). */
  public String id() {
    return id;
  }

  public long userId() {
    return userId;
  }

  /** The admitted user, or null while the login is under way. */
  public User user() {
    return user;
  }

  public byte[] tokenDigest() {
    return tokenDigest;
  }

  /** Whether this session gets only the classic server's shapes (see PROTOCOL.md, "Legacy sessions"). */
  public boolean legacy() {
    return legacy;
  }

  /**
   * The login reply carrying the owed entries {@code sent} is out: messages are written from now
   * on, each conversation goes on after what was sent, and what did not fit ({@code more}) follows.
   */
  public void admit(User user, List<LogStore.Entry> sent, boolean more) {
    if (state != State.BOUND) {
      return;
    }
    this.user = user;
    state = State.ADMITTED;
    streams.sent(sent);
    // what the reply carried is not owed any more, also if this node stops right now
    shared.cursors().flush(userId);
    catchingUp = false;
    if (more || again) {
      drain();
    }
  }

  /** The user's own message is in the log: this session needs it only as its place. */
  public void appended(LogStore.Entry entry) {
    streams.own(entry.conv(), entry.cseq());
  }

  /** Forgets the places of quiet conversations (the connection's sweep calls this). */
  public void forgetIdle(long now) {
    streams.forgetIdle(now);
  }

  /**
   * Logout or close: nothing reaches this session any more, a newer login of the user keeps its own,
   * and how far this one got is written before the user counts as gone.
   */
  public Future<Void> end() {
    state = State.ENDED;
    streams.end();
    shared.sessions().unregister(userId, this);
    return shared.cursors().flush(userId).otherwiseEmpty();
  }

  @Override
  public Future<Boolean> deliver(Outbound message) {
    return CallerContext.call(context, () -> {
      if (id.equals(message.origin())) {
        // this session sent it: it knows its place from the append itself
        return TAKEN;
      }
      if (state == State.BOUND && message.cap() == null) {
        // the login reply is not out yet: this one stays owed, caught up right after the reply
        again = true;
        streams.missed(message.conv());
        return REFUSED;
      }
      if (state != State.ADMITTED) {
        return REFUSED;
      }
      if (message.cap() != null) {
        // a signal: only for sessions that asked for it, and never counted as missed
        return caps.contains(message.cap()) && !legacy ? write(message).map(true) : TAKEN;
      }
      return streams.pushed(message);
    });
  }

  @Override
  public void drain() {
    CallerContext.enter(context, () -> {
      if (state == State.ENDED) {
        return;
      }
      if (catchingUp) {
        again = true;
        return;
      }
      catchingUp = true;
      again = false;
      catchUp();
    });
  }

  /** Pushes what the log owes this user, a page at a time, each message in its place. */
  private void catchUp() {
    CallerContext.onCaller(shared.log().owed(userId, PAGE)).onComplete(page -> {
      if (state == State.ENDED) {
        return;
      }
      if (page.failed()) {
        LOG.warn("user {}: cannot read owed messages: {}", userId, page.cause().toString());
        catchingUp = false;
        return;
      }
      Future<Boolean> last = Future.succeededFuture(true);
      for (LogStore.Entry entry : page.result()) {
        last = streams.fromLog(Outbound.entry(entry));
      }
      boolean full = page.result().size() == PAGE;
      // once nothing is owed any more: what this session missed that another one took
      last.compose(written -> written && !full ? streams.resume() : Future.succeededFuture(written)).onComplete(done -> {
        catchingUp = false;
        // a full page means more; a refused write means the reader is behind: wait for it to ask
        if ((full && done.succeeded() && done.result()) || again) {
          drain();
        }
      });
    });
  }

  @Override
  public void kick() {
    CallerContext.enter(context, () -> {
      if (state != State.ENDED) {
        LOG.info("user {} is logged in elsewhere now: closing this session", userId);
        outlet.close();
      }
    });
  }

  /** A live push: false when the reader is too slow (the message stays owed). */
  private Future<Boolean> write(Outbound message) {
    Future<Void> written = outlet.push(message.line(legacy));
    return written == null ? REFUSED : written.map(true).otherwise(false);
  }

  /** A catch-up write: waits for room, so a client that does not read pins nothing more. */
  private Future<Boolean> writeWhenRoom(Outbound message) {
    if (state == State.ENDED) {
      return REFUSED;
    }
    if (!outlet.full()) {
      return outlet.write(message.line(legacy)).map(true).otherwise(false);
    }
    return outlet.room().compose(v -> writeWhenRoom(message), err -> REFUSED);
  }
}
