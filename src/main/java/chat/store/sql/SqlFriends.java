package chat.store.sql;

import chat.store.FriendStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

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
}
