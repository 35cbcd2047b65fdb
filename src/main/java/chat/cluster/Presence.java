package chat.cluster;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Who is logged in, counted in sessions: a user is online while at least one session of theirs
 * lives, and may hold up to {@code sessions.maxPerUser} at once across the cluster. The first
 * session up and the last one down are each seen by exactly one node, which tells the user's
 * friends; when a node dies, one node reports its users whose last session it held.
 */
public interface Presence {
  /** What a claim did. */
  enum Claim {
    /** The user holds as many sessions as allowed. */
    REFUSED,
    /** The user's first session: they were offline. */
    FIRST,
    /** One more session of a user who was online already. */
    ANOTHER
  }

  /**
   * Claims a place for this session of the user, atomically across the cluster: refused when the
   * user holds {@code max} sessions already (1 for a legacy session: the classic single login).
   */
  Future<Claim> claim(long userId, String session, int max);

  /** Gives the session's place back (only its own); true when it was the user's last session. */
  Future<Boolean> release(long userId, String session);

  /** Which of these users are online. */
  Future<Set<Long>> online(Collection<Long> userIds);

  /** Called (once per user) when a dead node's users turn offline, their last session gone with it. */
  void onGone(LongConsumer listener);
}
