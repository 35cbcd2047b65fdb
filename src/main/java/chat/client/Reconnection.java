package chat.client;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The reconnect loop after a dropped connection: token login on new connections until one succeeds,
 * the token is refused, or the window runs out; then what was queued goes out, or is dropped with
 * every unacknowledged chat message. Runs on its own thread, one per dropped connection; it holds no
 * state across runs, and what it reads or changes of the session goes through {@link Session}, whose
 * calls take the session's lock.
 */
final class Reconnection {
  /** What the loop needs of the session; each call takes the session's lock as it needs. */
  interface Session {
    /** The token LOGIN to send on a new connection; null when the session is no longer reconnecting (left, closed). */
    ObjectNode relogin();

    /** Makes {@code fresh} the session's connection; false (and closes it) when the session was left meanwhile. */
    boolean adopt(ServerLink fresh);

    /** Waits {@code millis} unless the session stops reconnecting first. */
    void pauseWhileReconnecting(long millis);

    /** Not logged in any more (unless closed). */
    void loggedOut();
  }

  private static final long MAX_BACKOFF_MS = 2_000;

  private final Session session;
  private final Dialer dialer;
  private final Answers answers;
  private final Duration window;
  private final Names names;
  private final QueuedCommands queued;
  private final UnackedChats unacked;
  private final Consumer<String> screen;

  Reconnection(Session session, Dialer dialer, Answers answers, Duration window, Names names, QueuedCommands queued,
      UnackedChats unacked, Consumer<String> screen) {
    this.session = session;
    this.dialer = dialer;
    this.answers = answers;
    this.window = window;
    this.names = names;
    this.queued = queued;
    this.unacked = unacked;
    this.screen = screen;
  }

  /** Reconnects on a thread of its own. */
  void start() {
    Thread t = new Thread(this::reconnect, "chat-client-reconnect");
    t.setDaemon(true);
    t.start();
  }

  private void reconnect() {
    screen.accept("connection to " + dialer.address() + " lost; reconnecting...");
    Profile p;
    try {
      p = reestablish();
    } catch (ClientException e) {
      screen.accept(e.getMessage());
      queued.dropAll("not reconnected");
      unacked.abandon("not reconnected");
      return;
    }
    if (p == null) {
      // the user logged out or quit meanwhile
      return;
    }
    screen.accept("reconnected as [" + p.id() + "]" + p.name());
    p.offline().forEach(m -> screen.accept(Format.message(m)));
    queued.sendQueued();
  }

  /**
   * Token login on new connections until one succeeds, the token is refused, or time runs out;
   * null when the session was left meanwhile.
   */
  private Profile reestablish() throws ClientException {
    long deadline = System.nanoTime() + window.toNanos();
    long backoff = 100;
    // a node too busy to take the login now: no limit but the window's
    Backoff refusals = new Backoff(Integer.MAX_VALUE);
    String lastProblem = "no attempt";
    while (System.nanoTime() < deadline) {
      ObjectNode relogin = session.relogin();
      if (relogin == null) {
        return null;
      }
      ServerLink fresh = null;
      ObjectNode ack = null;
      try {
        fresh = dialer.open();
        ack = answers.await(fresh.request(relogin));
      } catch (IOException | ClientException e) {
        lastProblem = e.getMessage();
      }
      int errno = ack == null ? -1 : ack.path("errno").asInt(-1);
      if (errno == 0) {
        Profile profile = Profile.from(ack);
        names.learn(profile);
        return session.adopt(fresh) ? profile : null;
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
          session.pauseWhileReconnecting(pause);
        }
        continue;
      }
      if (ack != null && errno != 2) {
        session.loggedOut();
        throw new ClientException("session expired: " + ack.path("errmsg").asText() + "; log in again");
      }
      if (ack != null) {
        // errno 2: the server has not yet noticed that our old connection is gone
        lastProblem = ack.path("errmsg").asText();
      }
      sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
    session.loggedOut();
    throw new ClientException("could not reconnect to " + dialer.address() + " within " + window.toSeconds()
        + " s (" + lastProblem + "); log in again");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
