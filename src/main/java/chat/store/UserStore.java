package chat.store;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

public interface UserStore {
  /**
   * The new user's id; fails with {@link DuplicateNameException} when another user's name has the
   * same folded form ({@link NameFold}), under any race, on every node.
   */
  Future<Long> create(String name, String passwordHash);

  /** The user's stored password hash; empty when there is no such user. */
  Future<Optional<String>> passwordHash(long id);

  Future<Optional<User>> find(long id);

  /**
   * The user who holds {@code name} (compared by their folded forms) and their password hash;
   * empty when nobody does. Of the users registered with one folded name before names were
   * compared so, the oldest holds it; the others log in by id.
   */
  Future<Optional<Holder>> holder(String name);

  /** The user holding a name, and their password hash. */
  record Holder(long id, String passwordHash) {
  }

  /**
   * Users whose folded name starts with the folded {@code prefix} (case and width do not matter), by
   * folded name; at most {@code limit}.
   */
  Future<List<User>> findByPrefix(String prefix, int limit);

  /** Replaces the user's password hash. */
  Future<Void> changePassword(long id, String passwordHash);
}
