package chat.store.sql;

import chat.store.FriendStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

final class SqlFriends implements FriendStore {
  private final GatedPool db;

  SqlFriends(GatedPool db) {
    this.db = db;
  }

  @Override
  public Future<Void> befriend(long a, long b) {
    // both directions in one statement: friendship is never half-written
    return db.execute("INSERT IGNORE INTO friends (user_id, friend_id) VALUES (?, ?), (?, ?)", Tuple.of(a, b, b, a))
        .mapEmpty();
  }
}
