package chat.store;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

public interface UserStore {
  /** The new user's id; fails with {@link DuplicateNameException} when the name is taken. */
  Future<Long> create(String name, String passwordHash);

  /** The user's stored password hash; empty when there is no such user. */
  Future<Optional<String>> passwordHash(long id);

  Future<Optional<User>> find(long id);

  /** Users whose name starts with {@code prefix}, ignoring case, by name; at most {@code limit}. */
  Future<List<User>> findByPrefix(String prefix, int limit);

  /** Replaces the user's password hash. */
  Future<Void> changePassword(long id, String passwordHash);
}
