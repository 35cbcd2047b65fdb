package chat.store;

import io.vertx.core.Future;

public interface CardStore {
  /**
   * The login card of a user whose session token (by digest) is still valid at {@code nowMillis}:
   * friends, groups, and, when the user's owing mark is set (something was appended to them since
   * their last login settled it), at most {@code offlineLimit} of the messages owed to them, oldest
   * first. {@code holder} (unique to this login) takes the mark: the session settles it once it has
   * written everything owed ({@link LogStore#settle}). One round trip when nothing is owed.
   */
  Future<UserCard> loginCard(long userId, String tokenDigest, long nowMillis, int offlineLimit, String holder);

  /** The same for a user who just proved their password (a legacy session holds no token). */
  Future<UserCard> loginCard(long userId, int offlineLimit, String holder);

  /** The user's friends and groups, fresh (CARD): nothing owed is read, no mark taken. */
  Future<UserCard> card(long userId);
}
