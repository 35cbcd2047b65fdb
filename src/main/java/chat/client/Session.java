package chat.client;

import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Who we are logged in as, and staying so: password login, then the session token to log in
 * again on a new connection (after a dropped connection, to any node behind nginx, or to fetch
 * fresh friend and group lists). Requests block the calling thread, never the reader.
 */
final class Session implements ServerLink.Listener, AutoCloseable {
  private enum State { OUT, IN, RECONNECTING, CLOSED }

  private static final long PING_SECONDS = 60;
  private static final long MAX_BACKOFF_MS = 2_000;

  private final String host;
  private final int port;
  private final Duration timeout;
  private final Duration reconnectWindow;
  private final Consumer<String> screen;
  private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "chat-client-ping");
    t.setDaemon(true);
    return t;
  });
  private final Object lock = new Object();
  private ServerLink link;
  private State state = State.OUT;
  private long userId;
  private String token;

  Session(String host, int port, Duration timeout, Duration reconnectWindow, Consumer<String> screen) {
    this.host = host;
    this.port = port;
    this.timeout = timeout;
    this.reconnectWindow = reconnectWindow;
    this.screen = screen;
    // the server closes connections idle for five minutes
    pinger.scheduleAtFixedRate(this::ping, PING_SECONDS, PING_SECONDS, TimeUnit.SECONDS);
  }

  String address() {
    return host + ":" + port;
  }

  boolean loggedIn() {
    synchronized (lock) {
      return state == State.IN || state == State.RECONNECTING;
    }
  }

  /** REG_MSG; returns the new user id. */
  long register(String name, String password) throws ClientException {
    ObjectNode ack = await(anonymousLink().request(Messages.object(MsgId.REG)
        .put("name", name).put("password", password)));
    if (ack.path("errno").asInt() != 0) {
      throw new ClientException("register failed: " + ack.path("errmsg").asText("name is already taken"));
    }
    return ack.path("id").asLong();
  }

  Profile login(long id, String password) throws ClientException {
    ServerLink l = anonymousLink();
    ObjectNode ack = await(l.request(Messages.object(MsgId.LOGIN).put("id", id).put("password", password)));
    if (ack.path("errno").asInt() != 0) {
      throw new ClientException("login failed: " + ack.path("errmsg").asText());
    }
    Profile profile = Profile.from(ack);
    synchronized (lock) {
      userId = profile.id();
      token = profile.token();
      state = State.IN;
    }
    return profile;
  }

  /** A request that needs a login; waits out a reconnection. Returns the reply, or fails in words. */
  ObjectNode call(ObjectNode request) throws ClientException {
    ObjectNode reply = await(loggedInLink().request(request));
    if (reply.path("msgid").asInt() == MsgId.ERROR) {
      throw new ClientException(Format.error(reply));
    }
    return reply;
  }

  /**
   * Fresh lists from the server: only a login returns them, so leave this connection cleanly
   * (the token stays valid) and log in with the token on a new one.
   */
  Profile refresh() throws ClientException {
    ServerLink old;
    synchronized (lock) {
      if (state != State.IN) {
        throw new ClientException("not connected: try again in a moment");
      }
      old = link;
      link = null;
      state = State.RECONNECTING;
    }
    old.hangUp();
    return reestablish();
  }

  /** LOGINOUT: the server revokes the token; the connection stays open for the menu. */
  void logout() throws ClientException {
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
  }

  @Override
  public void pushed(ObjectNode message) {
    screen.accept(Format.pushed(message));
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
    Thread t = new Thread(this::reconnect, "chat-client-reconnect");
    t.setDaemon(true);
    t.start();
  }

  private void reconnect() {
    screen.accept("connection to " + address() + " lost; reconnecting...");
    try {
      Profile p = reestablish();
      screen.accept("reconnected as [" + p.id() + "]" + p.name());
      p.offline().forEach(m -> screen.accept(Format.message(m)));
    } catch (ClientException e) {
      screen.accept(e.getMessage());
    }
  }

  /** Token login on new connections until one succeeds, the token is refused, or time runs out. */
  private Profile reestablish() throws ClientException {
    long deadline = System.nanoTime() + reconnectWindow.toNanos();
    long backoff = 100;
    String lastProblem = "no attempt";
    while (System.nanoTime() < deadline) {
      long id;
      String t;
      synchronized (lock) {
        if (state != State.RECONNECTING) {
          throw new ClientException("not logged in");
        }
        id = userId;
        t = token;
      }
      ServerLink fresh = null;
      try {
        fresh = ServerLink.open(host, port, this);
        ObjectNode ack = await(fresh.request(Messages.object(MsgId.LOGIN).put("id", id).put("token", t)));
        int errno = ack.path("errno").asInt(-1);
        if (errno == 0) {
          return adopt(fresh, Profile.from(ack));
        }
        fresh.close();
        if (errno != 2) {
          loggedOut();
          throw new ClientException("session expired: " + ack.path("errmsg").asText() + "; log in again");
        }
        // the server has not yet noticed that our old connection is gone
        lastProblem = ack.path("errmsg").asText();
      } catch (IOException | ClientException e) {
        if (fresh != null) {
          fresh.close();
        }
        if (e instanceof ClientException ce && !loggedIn()) {
          throw ce;
        }
        lastProblem = e.getMessage();
      }
      sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
    loggedOut();
    throw new ClientException("could not reconnect to " + address() + " within " + reconnectWindow.toSeconds()
        + " s (" + lastProblem + "); log in again");
  }

  private Profile adopt(ServerLink fresh, Profile profile) throws ClientException {
    synchronized (lock) {
      if (state != State.RECONNECTING) {
        fresh.close();
        throw new ClientException("not logged in");
      }
      link = fresh;
      state = State.IN;
      lock.notifyAll();
    }
    return profile;
  }

  private void loggedOut() {
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
          link = ServerLink.open(host, port, this);
        } catch (IOException e) {
          throw new ClientException("cannot connect to " + address() + ": " + e.getMessage());
        }
      }
      return link;
    }
  }

  private ServerLink loggedInLink() throws ClientException {
    long deadline = System.nanoTime() + reconnectWindow.toNanos() + timeout.toNanos();
    synchronized (lock) {
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
  }

  private ObjectNode await(CompletableFuture<ObjectNode> reply) throws ClientException {
    try {
      return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      reply.cancel(false);
      throw new ClientException("no answer from " + address() + " within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new ClientException("connection to " + address() + " lost before the server answered"
          + " (the request may or may not have been carried out)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted");
    }
  }

  private void ping() {
    ServerLink l;
    synchronized (lock) {
      l = state == State.IN ? link : null;
    }
    if (l != null) {
      l.send(Messages.object(MsgId.PING));
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
