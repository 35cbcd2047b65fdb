package chat.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions bound on this node, by user id: where local and relayed deliveries and the drain and
 * kick signals go. Delivering to one costs a hop to its event loop and back, with no event-bus
 * consumer per session (a few hundred bytes each) and no reply consumer or timer per message.
 */
public final class LocalSessions {

  /** A session bound to a user: it takes deliveries once its login is through, signals at once. */
  public interface Target {
    /**
     * Writes the line to the socket; completes on the caller's context once written, fails if not
     * (login not through yet, session gone, reader too slow): the sender then stores the message.
     */
    Future<Void> deliver(Buffer line);

    /** Something was stored for the user: push the offline queue. */
    void drain();

    /** The user now lives on another node: close. */
    void kick();
  }

  private final Map<Long, Target> sessions = new ConcurrentHashMap<>();

  public void register(long userId, Target target) {
    sessions.put(userId, target);
  }

  public void unregister(long userId, Target target) {
    sessions.remove(userId, target);
  }

  /** The user's session on this node, or null. */
  public Target get(long userId) {
    return sessions.get(userId);
  }

  public void drain(long userId) {
    Target session = sessions.get(userId);
    if (session != null) {
      session.drain();
    }
  }

  public void kick(long userId) {
    Target session = sessions.get(userId);
    if (session != null) {
      session.kick();
    }
  }
}
