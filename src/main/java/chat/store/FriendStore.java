package chat.store;

import io.vertx.core.Future;

import java.util.List;

public interface FriendStore {
  /** Makes a and b friends of each other, in one statement; idempotent: false when they already were. */
  Future<Boolean> befriend(long a, long b);

  /** Ends the friendship both ways, in one statement; false when they were not friends. */
  Future<Boolean> unfriend(long a, long b);

  /** The user's friends' ids. */
  Future<List<Long>> friendIds(long userId);
}
