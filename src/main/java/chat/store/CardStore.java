package chat.store;

import io.vertx.core.Future;

public interface CardStore {
  /**
   * The card of a user whose session token (by digest) is still valid at {@code nowMillis}, with at
   * most {@code offlineLimit} queued messages, oldest first. One statement: a login costs one
   * round trip to the store whatever the user has.
   */
  Future<UserCard> card(long userId, String tokenDigest, long nowMillis, int offlineLimit);

  /** The same for a user who just proved their password (a legacy session holds no token). */
  Future<UserCard> card(long userId, int offlineLimit);
}
