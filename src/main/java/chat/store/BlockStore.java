package chat.store;

import io.vertx.core.Future;

import java.util.Set;

/** Who blocks whom: a block is one user's, one way; it ends a friendship between the two. */
public interface BlockStore {
  /** Around one user: whom they block, and who blocks them. */
  record Lists(Set<Long> blocked, Set<Long> blockers) {
    public static final Lists NONE = new Lists(Set.of(), Set.of());
  }

  /** What a block did: whether it is new, and whether it ended a friendship. */
  record Blocked(boolean added, boolean unfriended) {
  }

  /** {@code userId} blocks {@code other}, and they are no longer friends: one transaction. */
  Future<Blocked> block(long userId, long other);

  /** {@code userId} no longer blocks {@code other}; false when they did not. The friendship stays ended. */
  Future<Boolean> unblock(long userId, long other);

  /** Whom the user blocks and who blocks them. */
  Future<Lists> lists(long userId);
}
