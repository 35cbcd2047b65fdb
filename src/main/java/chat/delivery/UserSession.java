package chat.delivery;

import chat.context.CallerContext;
import chat.store.OfflineStore;
import chat.store.StoredMessage;
import chat.store.User;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The logged-in half of a connection: who it is, the token it holds, its offline queue, and the
 * one entrance ({@link Recipient}) through which everything addressed to it arrives. Bound when a
 * login has claimed the user (signals are taken from then on), admitted once the login reply is
 * out (messages are written from then on), ended by logout or close. Its state lives on the
 * connection's event loop; every entry hops there first.
 */
public final class UserSession implements Recipient {
  private static final Logger LOG = LoggerFactory.getLogger(UserSession.class);
  private static final Future<Boolean> REFUSED = Future.succeededFuture(false);

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

  private enum State { BOUND, ADMITTED, ENDED }

  private final long userId;
  private final byte[] tokenDigest;
  private final boolean legacy;
  private final Outlet outlet;
  private final Context context;
  private final Mailbox mailbox;
  private final LocalSessions sessions;
  private State state = State.BOUND;
  private User user;

  private UserSession(long userId, byte[] tokenDigest, boolean legacy, Outlet outlet, OfflineStore offline,
                      LocalSessions sessions) {
    this.userId = userId;
    this.tokenDigest = tokenDigest;
    this.legacy = legacy;
    this.outlet = outlet;
    this.context = outlet.context();
    this.mailbox = new Mailbox(userId, offline, outlet, legacy);
    this.sessions = sessions;
  }

  /**
   * Binds a session for a user whose claim was just won, on the outlet's loop: from now on drain
   * and kick signals reach it; messages are refused (so they are stored) until {@link #admit}.
   */
  public static UserSession bind(long userId, byte[] tokenDigest, boolean legacy, Outlet outlet, OfflineStore offline,
                                 LocalSessions sessions) {
    UserSession session = new UserSession(userId, tokenDigest, legacy, outlet, offline, sessions);
    sessions.register(userId, session);
    return session;
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
   * The login reply carrying the stored messages {@code sent} is out: messages are written from now
   * on, those sent are removed from the store, and what did not fit ({@code more}) follows.
   */
  public void admit(User user, List<StoredMessage> sent, boolean more) {
    if (state != State.BOUND) {
      return;
    }
    this.user = user;
    state = State.ADMITTED;
    mailbox.afterLogin(sent, more);
  }

  /** Logout or close: nothing reaches this session any more; a newer login of the user keeps its own. */
  public void end() {
    state = State.ENDED;
    mailbox.stop();
    sessions.unregister(userId, this);
  }

  @Override
  public Future<Boolean> deliver(Outbound message) {
    return CallerContext.call(context, () -> {
      if (state != State.ADMITTED) {
        return REFUSED;
      }
      Future<Void> written = outlet.push(message.line(legacy));
      return written == null ? REFUSED : written.map(true).otherwise(false);
    });
  }

  @Override
  public void drain() {
    CallerContext.enter(context, () -> {
      if (state != State.ENDED) {
        mailbox.drain();
      }
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
}
