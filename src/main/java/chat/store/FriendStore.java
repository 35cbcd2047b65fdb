package chat.store;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;
import java.util.Map;

public interface FriendStore {
  /** Makes a and b friends of each other, in one statement; idempotent: false when they already were. */
  Future<Boolean> befriend(long a, long b);

  /** Ends the friendship both ways, in one statement; false when they were not friends. */
  Future<Boolean> unfriend(long a, long b);

  /** Each of these users' friends' ids (a user with none is absent), in one statement. */
  Future<Map<Long, List<Long>>> friendIds(Collection<Long> userIds);
}
