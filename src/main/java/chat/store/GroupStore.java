package chat.store;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

public interface GroupStore {
  /** Creates the group with its creator as first member; returns the group id. */
  Future<Long> create(long creatorId, String name, String description);

  /** What joining a group did. */
  enum Joined { NEW_MEMBER, ALREADY_MEMBER, NO_SUCH_GROUP }

  /** Adds a normal member; idempotent. */
  Future<Joined> join(long groupId, long userId);

  /** The ids of every member, or empty when there is no such group. */
  Future<Optional<List<Long>>> memberIds(long groupId);

  /** Whether the user is the group's creator (the member who holds its moderation now). */
  Future<Boolean> isCreator(long groupId, long userId);

  /**
   * What leaving a group did: whether the user was a member; who is creator now when the creator
   * left (null when nobody took over); whether the group ended (its last member left).
   */
  record Left(boolean wasMember, Long newCreator, boolean ended) {
  }

  /**
   * The user leaves the group: the creator hands it to the longest member, the last member ends
   * it. The group's log stays; the user may still read it up to where it stood when they left.
   */
  Future<Left> leave(long groupId, long userId);

  /** Where the group's log stood when the user left it, if they were a member once and are not now. */
  Future<Optional<Long>> leftAt(long groupId, long userId);
}
