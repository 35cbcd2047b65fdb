package chat.store;

import io.vertx.core.Future;

import java.util.List;

public interface FriendStore {
  /** Makes a and b friends of each other, in one statement; idempotent. */
  Future<Void> befriend(long a, long b);

  Future<List<User>> friendsOf(long userId);
}
