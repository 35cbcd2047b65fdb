package chat.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions logged in on this node, by user id: the router's fast path. Delivering to one of
 * them costs a hop to its event loop and back, with no reply consumer or timer as an event-bus
 * request would need. Deliveries relayed from other nodes still come over the event bus.
 */
public final class LocalSessions {

  /** A logged-in session that takes deliveries. */
  public interface Target {
    /** Writes the line to the socket; completes on the caller's context once written, fails if not. */
    Future<Void> deliver(Buffer line);
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
}
