package chat.store;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

public interface GroupStore {
  /** Creates the group with its creator as first member; returns the group id. */
  Future<Long> create(long creatorId, String name, String description);

  /** Adds a normal member; idempotent. False when there is no such group. */
  Future<Boolean> join(long groupId, long userId);

  /** The ids of every member, or empty when there is no such group. */
  Future<Optional<List<Long>>> memberIds(long groupId);
}
