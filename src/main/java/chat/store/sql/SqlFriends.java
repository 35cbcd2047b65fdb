package chat.store.sql;

import chat.store.FriendStore;
import chat.store.User;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.List;

final class SqlFriends implements FriendStore {
  private final Pool pool;

  SqlFriends(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> befriend(long a, long b) {
    // both directions in one statement: friendship is never half-written
    return pool.preparedQuery("INSERT IGNORE INTO friends (user_id, friend_id) VALUES (?, ?), (?, ?)")
        .execute(Tuple.of(a, b, b, a))
        .mapEmpty();
  }

  @Override
  public Future<List<User>> friendsOf(long userId) {
    return pool.preparedQuery("SELECT u.id, u.name FROM friends f JOIN users u ON u.id = f.friend_id"
            + " WHERE f.user_id = ? ORDER BY u.id")
        .execute(Tuple.of(userId))
        .map(rows -> Rows.map(rows, SqlUsers::user));
  }
}
