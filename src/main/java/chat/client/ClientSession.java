package chat.client;

import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Who we are logged in as, and staying so: password login, then the session token to log in
 * again on a new connection (after a dropped connection, to any node behind nginx). Every login
 * asks for the presence and social pushes ({@link #CAPS}), printed as they come. Requests block
 * the calling thread, never the reader. Commands given while the connection is down are queued
 * and sent, in order, once it is back. A chat message carries a client message id ({@code cmid})
 * and is resent with it on every new connection until the server acknowledges it: the server
 * appends it once, whatever happened. A login that a busy node turns away for now (503, 107:
 * admission control) is tried again after the node's hint, saying so ({@link Backoff}).
 */
final class ClientSession implements ServerLink.Listener, AutoCloseable {
  private enum State { OUT, IN, RECONNECTING, CLOSED }

  /** A command given while the connection was down: {@code send} runs once the session is back, {@code drop} if it ends first. */
  record Queued(Runnable send, Consumer<String> drop) {
  }

  /** A chat message's CHAT_ACK, and whether it came only after the message was resent on a new connection. */
  record Sent(ObjectNode ack, boolean resent) {
  }

  /**
   * A chat message sent and not yet acknowledged: resent, with its cmid, on each new connection.
   * {@code sends} and {@code sentAt} are guarded by the session's lock.
   */
  private static final class Unacked {
    final ObjectNode request;
    final CompletableFuture<ObjectNode> answer = new CompletableFuture<>();
    int sends;
    long sentAt;

    Unacked(ObjectNode request) {
      this.request = request;
    }
  }

  /** The pushes every login asks for: friends coming and going, and changes to our friends and groups. */
  static final List<String> CAPS = List.of("presence", "social", "edits");
  private static final long PING_SECONDS = 60;
  private static final long MAX_BACKOFF_MS = 2_000;
  /** How often a password login turned away for now (503, 107) is tried again before the client gives up. */
  static final int LOGIN_RETRIES = 6;

  private final List<Endpoint> candidates;
  private final Duration timeout;
  private final Duration reconnectWindow;
  private final Consumer<String> screen;
  private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "chat-client-ping");
    t.setDaemon(true);
    return t;
  });
  private final Object lock = new Object();
  private final Deque<Queued> queued = new ArrayDeque<>();
  /** In the order first sent; an ack removes its message from the reader thread, without the lock. */
  private final Queue<Unacked> unacked = new ConcurrentLinkedQueue<>();
  /** cmids: random per client run, then a counter, so no two runs (nor resends of two messages) share one. */
  private final String cmidPrefix = UUID.randomUUID().toString();
  private final AtomicLong cmids = new AtomicLong();
  private final Names names = new Names();
  /** The endpoint that answered {@link #connect}; every later connection goes there. */
  private volatile Endpoint endpoint;
  private ServerLink link;
  private State state = State.OUT;
  private boolean sendingQueued;
  /** A thread is sending what was queued: another reconnection leaves it to that one, so order holds. */
  private boolean draining;
  private long userId;
  private String token;

  /** {@code candidates}: where to connect, in order of preference (see {@link #connect}). */
  ClientSession(List<Endpoint> candidates, Duration timeout, Duration reconnectWindow, Consumer<String> screen) {
    this.candidates = List.copyOf(candidates);
    this.endpoint = candidates.get(0);
    this.timeout = timeout;
    this.reconnectWindow = reconnectWindow;
    this.screen = screen;
    // the server closes connections idle for five minutes
    pinger.scheduleAtFixedRate(this::ping, PING_SECONDS, PING_SECONDS, TimeUnit.SECONDS);
  }

  String address() {
    Endpoint e = endpoint;
    return e.host() + ":" + e.port();
  }

  /**
   * Connects before anything is asked of the user: the first candidate that answers a PING is
   * where this session stays. Fails naming every address tried and what went wrong there.
   */
  Endpoint connect() throws ClientException {
    List<String> problems = new ArrayList<>();
    for (Endpoint candidate : candidates) {
      endpoint = candidate;
      ServerLink fresh;
      try {
        fresh = ServerLink.open(candidate.host(), candidate.port(), this);
      } catch (IOException e) {
        problems.add(candidate.described() + ": " + (e instanceof UnknownHostException ? "unknown host" : e.getMessage()));
        continue;
      }
      String problem = ping(fresh);
      if (problem == null) {
        synchronized (lock) {
          if (state != State.CLOSED) {
            link = fresh;
            return candidate;
          }
        }
        problem = "client is closing";
      }
      fresh.close();
      problems.add(candidate.described() + ": " + problem);
    }
    throw new ClientException("cannot connect to " + String.join(", nor to ", problems));
  }

  /** Null when a chat server answers PING on {@code fresh}; otherwise what went wrong. */
  private String ping(ServerLink fresh) {
    try {
      fresh.request(Messages.object(MsgId.PING)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (TimeoutException e) {
      return "no answer to a PING within " + timeout.toSeconds() + " s";
    } catch (ExecutionException e) {
      return "closed the connection without answering (a node behind nginx takes only nginx's connections)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
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
    ObjectNode ack = await(anonymousLink().request(Messages.object(MsgId.REG)
        .put("name", name).put("password", password)));
    if (ack.path("errno").asInt() != 0) {
      throw new ClientException("register failed: " + ack.path("errmsg").asText("name is already taken"));
    }
    return ack.path("id").asLong();
  }

  /** LOGIN with a password as {@code user}: a user id when it is all digits, else a name. */
  Profile login(String user, String password) throws ClientException {
    ObjectNode ack = admitted(() -> anonymousLink().request(loginRequest(user).put("password", password)));
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

  /** LOGIN as {@code user}, an id when it is all digits (and fits one), else a name, with our caps. */
  private static ObjectNode loginRequest(String user) throws ClientException {
    if (!isUserId(user)) {
      ObjectNode request = Messages.object(MsgId.LOGIN).put("name", user);
      CAPS.forEach(request.putArray("caps")::add);
      return request;
    }
    try {
      return loginRequest(Long.parseLong(user));
    } catch (NumberFormatException e) {
      throw new ClientException("login failed: there is no userid " + user);
    }
  }

  /** Whether what was typed to log in is a user id (all digits) rather than a name. */
  static boolean isUserId(String user) {
    return !user.isEmpty() && user.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** One try of a request: sends it, the future completes with its answer. */
  private interface Attempt {
    CompletableFuture<ObjectNode> send() throws ClientException;
  }

  /**
   * The answer to a LOGIN that the server did not turn away for now: a refusal by admission control
   * (503, 107) is tried again after the server's hint, with jitter, the pauses growing
   * ({@link Backoff}), each announced on the screen; at most {@link #LOGIN_RETRIES} times, then it
   * fails saying so. {@code attempt} sends it afresh each time (on a new connection if the last one
   * dropped meanwhile).
   */
  private ObjectNode admitted(Attempt attempt) throws ClientException {
    Backoff backoff = new Backoff(LOGIN_RETRIES);
    while (true) {
      ObjectNode ack = await(attempt.send());
      if (!Backoff.turnedAway(ack)) {
        return ack;
      }
      long pause = backoff.pauseAfter(ack);
      if (pause < 0) {
        throw new ClientException("login failed: gave up after " + (backoff.refusals() + 1) + " tries: "
            + Backoff.why(ack) + " (" + ack.path("errmsg").asText() + "); try again later");
      }
      screen.accept(Backoff.waiting(ack, pause));
      if (!pause(pause, State.OUT)) {
        throw new ClientException("client is closing");
      }
    }
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

  /** LOGIN as {@code id} with our caps; the password or token is added by the caller. */
  private static ObjectNode loginRequest(long id) {
    ObjectNode request = Messages.object(MsgId.LOGIN).put("id", id);
    CAPS.forEach(request.putArray("caps")::add);
    return request;
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
   * ONE_CHAT or GROUP_CHAT with a fresh cmid: sent now (after a reconnection under way), and again
   * with the same cmid on each new connection until the server answers. Returns the CHAT_ACK, or
   * fails in words (an ERROR, no answer in time, the session ended before the answer).
   */
  Sent chat(ObjectNode request) throws ClientException {
    Unacked message = new Unacked(request.deepCopy().put("cmid", cmidPrefix + "-" + cmids.incrementAndGet()));
    synchronized (lock) {
      ServerLink l = linkOnceReconnected();
      unacked.add(message);
      transmit(message, l);
    }
    ObjectNode reply = awaitAnswer(message);
    if (reply.path("msgid").asInt() == MsgId.ERROR) {
      throw new ClientException(Format.error(reply));
    }
    synchronized (lock) {
      return new Sent(reply, message.sends > 1);
    }
  }

  /**
   * Writes {@code message} on {@code l}; its answer settles it. A connection that ends first leaves
   * it for the next one. Call with the lock held, so that no new connection's resends come between.
   */
  private void transmit(Unacked message, ServerLink l) {
    message.sends++;
    message.sentAt = System.nanoTime();
    l.request(message.request).thenAccept(reply -> {
      unacked.remove(message);
      message.answer.complete(reply);
    });
  }

  /**
   * The answer to a chat message: within the timeout of its last sending while connected; while a
   * reconnection is under way it waits (the reconnection resends it, or gives up and fails it).
   */
  private ObjectNode awaitAnswer(Unacked message) throws ClientException {
    while (true) {
      long waitNanos;
      synchronized (lock) {
        if (state == State.RECONNECTING) {
          waitNanos = TimeUnit.SECONDS.toNanos(1);
        } else {
          waitNanos = message.sentAt + timeout.toNanos() - System.nanoTime();
          if (waitNanos <= 0 && !message.answer.isDone()) {
            unacked.remove(message);
            throw new ClientException("no answer from " + address() + " within " + timeout.toSeconds()
                + " s (the message may or may not have been sent)");
          }
        }
      }
      try {
        return message.answer.get(Math.max(1, waitNanos), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // look again: reconnected, still reconnecting, or out of time
      } catch (ExecutionException e) {
        throw new ClientException(e.getCause().getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClientException("interrupted");
      }
    }
  }

  /** Fails every chat message still waiting for its answer: the session has ended. */
  private void abandonUnacked(String reason) {
    Unacked message;
    while ((message = unacked.poll()) != null) {
      message.answer.completeExceptionally(new ClientException("not confirmed (" + reason + "): "
          + message.request.path("msg").asText() + " - it may or may not have been sent"));
    }
  }

  /**
   * Keeps {@code command} for later and returns true while the connection is down (or what was
   * kept earlier is still going out, so that order holds); false when it can be sent now.
   */
  boolean queueWhileReconnecting(Queued command) {
    synchronized (lock) {
      if (state != State.RECONNECTING && !sendingQueued) {
        return false;
      }
      queued.add(command);
      return true;
    }
  }

  /** Waits until the connection is back and what was queued has gone out, or the session has ended. */
  void awaitQueued() {
    synchronized (lock) {
      try {
        while (state == State.RECONNECTING || sendingQueued) {
          lock.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * LOGINOUT: the server revokes the token; the connection stays open for the menu. While
   * reconnecting it gives up at once (nothing to tell the server) and drops what was queued.
   */
  void logout() throws ClientException {
    boolean reconnecting;
    List<Queued> dropped;
    synchronized (lock) {
      reconnecting = state == State.RECONNECTING;
      if (reconnecting) {
        state = State.OUT;
        token = null;
        lock.notifyAll();
      }
      dropped = takeQueued();
    }
    dropped.forEach(q -> q.drop().accept("left before it was sent"));
    if (reconnecting) {
      abandonUnacked("left before the server answered");
      throw new ClientException("not connected to " + address() + ", left without telling the server");
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
    abandonUnacked("the client closed before the server answered");
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
    Thread t = new Thread(this::reconnect, "chat-client-reconnect");
    t.setDaemon(true);
    t.start();
  }

  private void reconnect() {
    screen.accept("connection to " + address() + " lost; reconnecting...");
    Profile p;
    try {
      p = reestablish();
    } catch (ClientException e) {
      screen.accept(e.getMessage());
      List<Queued> dropped;
      synchronized (lock) {
        dropped = takeQueued();
      }
      dropped.forEach(q -> q.drop().accept("not reconnected"));
      abandonUnacked("not reconnected");
      return;
    }
    if (p == null) {
      // the user logged out or quit meanwhile
      return;
    }
    screen.accept("reconnected as [" + p.id() + "]" + p.name());
    p.offline().forEach(m -> screen.accept(Format.message(m)));
    sendQueued();
  }

  /**
   * Sends what was queued, in order, including what is queued while this runs; unless another
   * thread is at it already (a reconnection while a queued command waited for its answer).
   */
  private void sendQueued() {
    synchronized (lock) {
      if (draining) {
        return;
      }
      draining = true;
    }
    boolean drained = false;
    try {
      while (!drained) {
        Queued next;
        synchronized (lock) {
          next = queued.poll();
          if (next == null) {
            // in the same breath as the last look at the queue: a later reconnection drains what comes next
            sendingQueued = false;
            draining = false;
            drained = true;
            lock.notifyAll();
          }
        }
        if (next != null) {
          next.send().run();
        }
      }
    } finally {
      if (!drained) {
        synchronized (lock) {
          draining = false;
        }
      }
    }
  }

  /** Everything queued, now out of the queue. Call with the lock held. */
  private List<Queued> takeQueued() {
    List<Queued> all = new ArrayList<>(queued);
    queued.clear();
    sendingQueued = false;
    lock.notifyAll();
    return all;
  }

  /**
   * Token login on new connections until one succeeds, the token is refused, or time runs out;
   * null when the session was left meanwhile.
   */
  private Profile reestablish() throws ClientException {
    long deadline = System.nanoTime() + reconnectWindow.toNanos();
    long backoff = 100;
    // a node too busy to take the login now: no limit but the window's
    Backoff refusals = new Backoff(Integer.MAX_VALUE);
    String lastProblem = "no attempt";
    while (System.nanoTime() < deadline) {
      long id;
      String t;
      synchronized (lock) {
        if (state != State.RECONNECTING) {
          return null;
        }
        id = userId;
        t = token;
      }
      ServerLink fresh = null;
      ObjectNode ack = null;
      try {
        fresh = ServerLink.open(endpoint.host(), endpoint.port(), this);
        ack = await(fresh.request(loginRequest(id).put("token", t)));
      } catch (IOException | ClientException e) {
        lastProblem = e.getMessage();
      }
      int errno = ack == null ? -1 : ack.path("errno").asInt(-1);
      if (errno == 0) {
        Profile profile = Profile.from(ack);
        names.learn(profile);
        return adopt(fresh, profile);
      }
      if (fresh != null) {
        fresh.close();
      }
      if (ack != null && Backoff.turnedAway(ack)) {
        // admission control: again after the node's hint, with jitter, within the window
        lastProblem = Backoff.why(ack) + ": " + ack.path("errmsg").asText();
        long pause = Math.min(refusals.pauseAfter(ack), TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        if (pause > 0) {
          screen.accept(Backoff.waiting(ack, pause));
          pause(pause, State.RECONNECTING);
        }
        continue;
      }
      if (ack != null && errno != 2) {
        loggedOut();
        throw new ClientException("session expired: " + ack.path("errmsg").asText() + "; log in again");
      }
      if (ack != null) {
        // errno 2: the server has not yet noticed that our old connection is gone
        lastProblem = ack.path("errmsg").asText();
      }
      sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
    loggedOut();
    throw new ClientException("could not reconnect to " + address() + " within " + reconnectWindow.toSeconds()
        + " s (" + lastProblem + "); log in again");
  }

  /**
   * The new connection becomes the session's, and every chat message not yet acknowledged goes out
   * on it again, first, with its cmid; null (and closed) when the session was left meanwhile.
   */
  private Profile adopt(ServerLink fresh, Profile profile) {
    synchronized (lock) {
      if (state != State.RECONNECTING) {
        fresh.close();
        return null;
      }
      link = fresh;
      state = State.IN;
      sendingQueued = !queued.isEmpty();
      unacked.forEach(message -> transmit(message, fresh));
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
          link = ServerLink.open(endpoint.host(), endpoint.port(), this);
        } catch (IOException e) {
          throw new ClientException("cannot connect to " + address() + ": " + e.getMessage());
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

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
