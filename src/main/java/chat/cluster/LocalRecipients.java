package chat.cluster;

import io.vertx.core.Future;

import java.util.List;

/** This node's logged-in sessions, as traffic relayed from other nodes reaches them. */
public interface LocalRecipients {
  /**
   * Hands a push to these users' sessions here; completes on the caller's context with the users
   * who did not take it (not here, not admitted yet, or too slow).
   */
  Future<List<Long>> deliver(List<Long> userIds, Relayed message);

  /** Messages are owed to this user: their session here, if any, catches up from the log. */
  void catchUp(long userId);

  /** This session's place was taken while Redis was away: it closes. */
  void kick(long userId, String session);
}
