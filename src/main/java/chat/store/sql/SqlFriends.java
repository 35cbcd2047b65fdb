package chat.store.sql;

import chat.store.FriendStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.util.List;

final class SqlFriends implements FriendStore {
  private final GatedPool db;

  SqlFriends(GatedPool db) {
    this.db = db;
  }

  @Override
  public Future<Boolean> befriend(long a, long b) {
    // both directions in one statement: friendship is never half-written
    return db.execute("INSERT IGNORE INTO friends (user_id, friend_id) VALUES (?, ?), (?, ?)", Tuple.of(a, b, b, a))
        .map(rows -> rows.rowCount() > 0);
  }

  @Override
  public Future<Boolean> unfriend(long a, long b) {
    return db.execute("DELETE FROM friends WHERE (user_id = ? AND friend_id = ?) OR (user_id = ? AND friend_id = ?)",
            Tuple.of(a, b, b, a))
        .map(rows -> rows.rowCount() > 0);
  }

  @Override
  public Future<List<Long>> friendIds(long userId) {
    return db.execute("SELECT friend_id FROM friends WHERE user_id = ?", Tuple.of(userId))
        .map(rows -> Rows.map(rows, r -> r.getLong(0)));
  }
}
