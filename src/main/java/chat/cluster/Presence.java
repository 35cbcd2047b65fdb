package chat.cluster;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.Set;

/** Who is logged in, and the rule of one live session per user. */
public interface Presence {
  /** Claims the user for {@code owner} atomically: false when someone else holds the claim. */
  Future<Boolean> claim(long userId, String owner);

  /** Releases the claim only if {@code owner} still holds it. */
  Future<Void> release(long userId, String owner);

  /** Which of these users are online. */
  Future<Set<Long>> online(Collection<Long> userIds);
}
