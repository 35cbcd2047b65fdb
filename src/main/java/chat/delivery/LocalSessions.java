package chat.delivery;

import chat.cluster.LocalRecipients;
import chat.cluster.Relayed;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions bound on this node, by user id, shared by every event loop: the way the router,
 * the Redis subscriber and presence reach a session. A session is registered when its login binds
 * it (before the login reads what is owed), so a message appended at any moment of a login is
 * found either by the login's read or by the session's catch-up.
 */
public final class LocalSessions implements LocalRecipients {
  private final Map<Long, Recipient> sessions = new ConcurrentHashMap<>();

  public void register(long userId, Recipient session) {
    sessions.put(userId, session);
  }

  /** Removes the session only if it is still the user's one: a newer login keeps its own. */
  public void unregister(long userId, Recipient session) {
    sessions.remove(userId, session);
  }

  /** The user's session on this node, or null. */
  public Recipient get(long userId) {
    return sessions.get(userId);
  }

  @Override
  public Future<List<Long>> deliver(List<Long> userIds, Relayed message) {
    return deliver(userIds, Outbound.relayed(message));
  }

  /** The users of the list who did not take the message here; completes on the caller's context. */
  public Future<List<Long>> deliver(List<Long> userIds, Outbound message) {
    List<Future<Boolean>> written = new ArrayList<>(userIds.size());
    for (long id : userIds) {
      Recipient session = sessions.get(id);
      written.add(session == null ? Future.succeededFuture(false) : session.deliver(message));
    }
    // each answer comes on the caller's context, so the last one does too
    return Future.join(written).map(done -> {
      List<Long> missed = new ArrayList<>();
      for (int i = 0; i < written.size(); i++) {
        if (!written.get(i).result()) {
          missed.add(userIds.get(i));
        }
      }
      return missed;
    });
  }

  @Override
  public void drain(long userId) {
    Recipient session = sessions.get(userId);
    if (session != null) {
      session.drain();
    }
  }

  @Override
  public void kick(long userId) {
    Recipient session = sessions.get(userId);
    if (session != null) {
      session.kick();
    }
  }
}
