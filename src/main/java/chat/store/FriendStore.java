package chat.store;

import io.vertx.core.Future;

public interface FriendStore {
  /** Makes a and b friends of each other, in one statement; idempotent. */
  Future<Void> befriend(long a, long b);
}
