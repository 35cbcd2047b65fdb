package chat.client;

import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Who we are logged in as, and staying so: password login, then the session token to log in
 * again on a new connection (after a dropped connection, to any node behind nginx). Every login
 * asks for the presence and social pushes ({@link Logins#CAPS}), printed as they come. Requests block
 * the calling thread, never the reader. Commands given while the connection is down are queued
 * ({@link QueuedCommands}); chat messages are kept with their cmid until acknowledged and resent on
 * every new connection ({@link UnackedChats}); the reconnect loop is {@link Reconnection}; a login
 * that a busy node turns away for now is tried again ({@link Logins}).
 *
 * <p>Over 300 lines on purpose: this class owns the session's state, connection, user id and token,
 * all guarded by {@code lock} (whose monitor also carries every wait), and every transition of that
 * state (connect, login, logout, close, a dropped connection, a new one adopted) is here, so that
 * the lock's rules are read in one place. The helpers share the lock and see the state only through
 * what this class hands them. Threads: the person's thread makes requests; a connection's reader
 * thread brings pushes and {@link #closed}; the pinger pings; a reconnecting thread runs
 * {@link Reconnection} and calls back here.
 */
final class ClientSession implements ServerLink.Listener, Reconnection.Session, AutoCloseable {
  private enum State { OUT, IN, RECONNECTING, CLOSED }

  private static final long PING_SECONDS = 60;

  private final Duration timeout;
  private final Duration reconnectWindow;
  private final Consumer<String> screen;
  private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "chat-client-ping");
    t.setDaemon(true);
    return t;
  });
  private final Object lock = new Object();
  private final Dialer dialer;
  private final Answers answers;
  private final QueuedCommands queued;
  private final UnackedChats unacked;
  private final Reconnection reconnection;
  private final Names names = new Names();
  private ServerLink link;
  private State state = State.OUT;
  private long userId;
  private String token;

  /** {@code candidates}: where to connect, in order of preference (see {@link #connect}). */
  ClientSession(List<Endpoint> candidates, Duration timeout, Duration reconnectWindow, Consumer<String> screen) {
    this.timeout = timeout;
    this.reconnectWindow = reconnectWindow;
    this.screen = screen;
    this.dialer = new Dialer(candidates, timeout, this);
    this.answers = new Answers(timeout, dialer::address);
    this.queued = new QueuedCommands(lock, () -> state == State.RECONNECTING);
    this.unacked = new UnackedChats(lock, timeout, () -> state == State.RECONNECTING, dialer::address);
    this.reconnection = new Reconnection(this, dialer, answers, reconnectWindow, names, queued, unacked, screen);
    // the server closes connections idle for five minutes
    pinger.scheduleAtFixedRate(this::ping, PING_SECONDS, PING_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Connects before anything is asked of the user: the first candidate that answers a PING is
   * where this session stays ({@link Dialer#connect}).
   */
  Endpoint connect() throws ClientException {
    return dialer.connect(fresh -> {
      synchronized (lock) {
        if (state != State.CLOSED) {
          link = fresh;
          return true;
        }
        return false;
      }
    });
  }

  /** Who is who, for the pushes that carry only an id. */
  Names names() {
    return names;
  }

  boolean loggedIn() {
    synchronized (lock) {
      return state == State.IN || state == State.RECONNECTING;
    }
  }

  /** REG_MSG; returns the new user id. */
  long register(String name, String password) throws ClientException {
    ObjectNode ack = answers.await(anonymousLink().request(Messages.object(MsgId.REG)
        .put("name", name).put("password", password)));
    if (ack.path("errno").asInt() != 0) {
      throw new ClientException("register failed: " + ack.path("errmsg").asText("name is already taken"));
    }
    return ack.path("id").asLong();
  }

  /** LOGIN with a password as {@code user}: a user id when it is all digits, else a name. */
  Profile login(String user, String password) throws ClientException {
    ObjectNode ack = Logins.admitted(() -> answers.await(anonymousLink().request(Logins.request(user).put("password", password))),
        millis -> pause(millis, State.OUT), screen);
    if (ack.path("errno").asInt() != 0) {
      throw new ClientException("login failed: " + ack.path("errmsg").asText());
    }
    Profile profile = Profile.from(ack);
    names.learn(profile);
    synchronized (lock) {
      userId = profile.id();
      token = profile.token();
      state = State.IN;
    }
    return profile;
  }

  /**
   * Waits {@code millis} unless the session leaves {@code state} first (closed, logged out);
   * true when it is still in it.
   */
  private boolean pause(long millis, State state) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (lock) {
      try {
        long left;
        while (this.state == state && (left = deadline - System.nanoTime()) > 0) {
          lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      return this.state == state;
    }
  }

  /** A request that needs a login; waits out a reconnection. Returns the reply, or fails in words. */
  ObjectNode call(ObjectNode request) throws ClientException {
    ObjectNode reply = answers.await(loggedInLink().request(request));
    if (reply.path("msgid").asInt() == MsgId.ERROR) {
      throw new ClientException(Format.error(reply));
    }
    return reply;
  }

  /** ONE_CHAT or GROUP_CHAT, kept until the server answers it ({@link UnackedChats#send}). */
  UnackedChats.Sent chat(ObjectNode request) throws ClientException {
    return unacked.send(request, this::linkOnceReconnected);
  }

  /** See {@link QueuedCommands#queueWhileReconnecting}. */
  boolean queueWhileReconnecting(QueuedCommands.Queued command) {
    return queued.queueWhileReconnecting(command);
  }

  /** See {@link QueuedCommands#awaitQueued}. */
  void awaitQueued() {
    queued.awaitQueued();
  }

  /**
   * LOGINOUT: the server revokes the token; the connection stays open for the menu. While
   * reconnecting it gives up at once (nothing to tell the server) and drops what was queued.
   */
  void logout() throws ClientException {
    boolean reconnecting;
    List<QueuedCommands.Queued> dropped;
    synchronized (lock) {
      reconnecting = state == State.RECONNECTING;
      if (reconnecting) {
        state = State.OUT;
        token = null;
        lock.notifyAll();
      }
      dropped = queued.takeQueued();
    }
    dropped.forEach(q -> q.drop().accept("left before it was sent"));
    if (reconnecting) {
      unacked.abandon("left before the server answered");
      throw new ClientException("not connected to " + dialer.address() + ", left without telling the server");
    }
    try {
      call(Messages.object(MsgId.LOGINOUT).put("id", userId));
    } finally {
      synchronized (lock) {
        state = State.OUT;
        token = null;
      }
    }
  }

  @Override
  public void close() {
    ServerLink l;
    synchronized (lock) {
      state = State.CLOSED;
      l = link;
      link = null;
      lock.notifyAll();
    }
    pinger.shutdownNow();
    if (l != null) {
      l.close();
    }
    unacked.abandon("the client closed before the server answered");
  }

  @Override
  public void pushed(ObjectNode message) {
    int msgid = message.path("msgid").asInt();
    if (msgid == MsgId.SOCIAL || msgid == MsgId.ONE_CHAT || msgid == MsgId.GROUP_CHAT) {
      names.learn(message);
    }
    screen.accept(Format.pushed(message, names));
  }

  @Override
  public void closed(ServerLink closedLink) {
    synchronized (lock) {
      if (closedLink != link) {
        return;
      }
      link = null;
      if (state != State.IN) {
        return;
      }
      state = State.RECONNECTING;
    }
    reconnection.start();
  }

  @Override
  public ObjectNode relogin() {
    synchronized (lock) {
      return state != State.RECONNECTING ? null : Logins.request(userId).put("token", token);
    }
  }

  /**
   * The new connection becomes the session's, and every chat message not yet acknowledged goes out
   * on it again, first, with its cmid; false (and closed) when the session was left meanwhile.
   */
  @Override
  public boolean adopt(ServerLink fresh) {
    synchronized (lock) {
      if (state != State.RECONNECTING) {
        fresh.close();
        return false;
      }
      link = fresh;
      state = State.IN;
      queued.reconnected();
      unacked.resend(fresh);
      lock.notifyAll();
    }
    return true;
  }

  @Override
  public void pauseWhileReconnecting(long millis) {
    pause(millis, State.RECONNECTING);
  }

  @Override
  public void loggedOut() {
    synchronized (lock) {
      if (state != State.CLOSED) {
        state = State.OUT;
      }
      lock.notifyAll();
    }
  }

  /** The current connection for REG and LOGIN, opening one when there is none. */
  private ServerLink anonymousLink() throws ClientException {
    synchronized (lock) {
      if (state == State.CLOSED) {
        throw new ClientException("client is closing");
      }
      if (link == null) {
        try {
          link = dialer.open();
        } catch (IOException e) {
          throw new ClientException("cannot connect to " + dialer.address() + ": " + e.getMessage());
        }
      }
      return link;
    }
  }

  private ServerLink loggedInLink() throws ClientException {
    synchronized (lock) {
      return linkOnceReconnected();
    }
  }

  /** The logged-in connection, once a reconnection under way is over. Call with the lock held. */
  private ServerLink linkOnceReconnected() throws ClientException {
    long deadline = System.nanoTime() + reconnectWindow.toNanos() + timeout.toNanos();
    try {
      while (state == State.RECONNECTING && System.nanoTime() < deadline) {
        lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (state != State.IN || link == null) {
      throw new ClientException("not logged in");
    }
    return link;
  }

  /** Keeps an idle connection, logged in or at the menu, from the server's idle timeout. */
  private void ping() {
    ServerLink l;
    synchronized (lock) {
      l = state == State.CLOSED ? null : link;
    }
    if (l != null) {
      l.send(Messages.object(MsgId.PING));
    }
  }
}
