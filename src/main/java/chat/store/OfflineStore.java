package chat.store;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;

/** The at-least-once queue of messages for users who were not online. */
public interface OfflineStore {
  /** Fails with {@link UnknownUserException} when there is no such user. */
  Future<Void> save(long userId, String body);

  /** The same message for several users, in one batch. */
  Future<Void> saveAll(Collection<Long> userIds, String body);

  /** The oldest messages first, without removing them. */
  Future<List<StoredMessage>> peek(long userId, int limit);

  /** Removes the user's messages up to and including {@code lastId}, once they were written out. */
  Future<Void> remove(long userId, long lastId);
}
