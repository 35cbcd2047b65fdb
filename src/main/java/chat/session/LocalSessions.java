package chat.session;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions bound on this node, by user id (a user may hold several), shared by every event
 * loop: the way the router, what other nodes relay and presence reach a session. A session is
 * registered when its login binds it (before the login reads what is owed), so a message appended
 * at any moment of a login is found either by the login's read or by the session's catch-up.
 */
public final class LocalSessions {
  private final Map<Long, List<Session>> sessions = new ConcurrentHashMap<>();

  void register(long userId, Session session) {
    sessions.compute(userId, (id, held) -> {
      List<Session> more = held == null ? new ArrayList<>(1) : new ArrayList<>(held);
      more.add(session);
      return List.copyOf(more);
    });
  }

  /** Removes this session only: the user's other sessions stay. */
  void unregister(long userId, Session session) {
    sessions.computeIfPresent(userId, (id, held) -> {
      List<Session> rest = new ArrayList<>(held);
      rest.remove(session);
      return rest.isEmpty() ? null : List.copyOf(rest);
    });
  }

  /**
   * Pushes to every session of these users here (the one that sent it only takes its place);
   * completes on the caller's context with the users none of whose sessions here took it.
   */
  public Future<List<Long>> deliver(List<Long> userIds, Outbound message) {
    List<Future<Boolean>> taken = new ArrayList<>(userIds.size());
    for (long id : userIds) {
      taken.add(deliverToAll(sessions.get(id), message));
    }
    // each answer comes on the caller's context, so the last one does too
    return Future.join(taken).map(done -> {
      List<Long> missed = new ArrayList<>();
      for (int i = 0; i < taken.size(); i++) {
        if (!taken.get(i).result()) {
          missed.add(userIds.get(i));
        }
      }
      return missed;
    });
  }

  private static Future<Boolean> deliverToAll(List<Session> held, Outbound message) {
    if (held == null) {
      return Future.succeededFuture(false);
    }
    if (held.size() == 1) {
      return held.get(0).deliver(message);
    }
    List<Future<Boolean>> each = new ArrayList<>(held.size());
    held.forEach(s -> each.add(s.deliver(message)));
    return Future.join(each).map(done -> each.stream().anyMatch(Future::result));
  }

  /** Messages are owed to this user: their sessions here catch up from the log. */
  public void catchUp(long userId) {
    sessions.getOrDefault(userId, List.of()).forEach(Session::catchUp);
  }

  /** This session's place was taken while Redis was away: it closes. */
  public void kick(long userId, String session) {
    sessions.getOrDefault(userId, List.of()).stream().filter(s -> s.id().equals(session)).forEach(Session::kick);
  }
}
