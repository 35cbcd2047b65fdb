package chat.store.sql;

import chat.store.FriendStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
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
  public Future<Map<Long, List<Long>>> friendIds(Collection<Long> userIds) {
    if (userIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Tuple params = Tuple.tuple();
    userIds.forEach(params::addLong);
    return db.execute("SELECT user_id, friend_id FROM friends WHERE user_id IN ("
        + String.join(", ", Collections.nCopies(userIds.size(), "?")) + ")", params).map(rows -> {
          Map<Long, List<Long>> friends = new HashMap<>();
          for (Row row : rows) {
            friends.computeIfAbsent(row.getLong(0), u -> new ArrayList<>()).add(row.getLong(1));
          }
          return friends;
        });
  }
}
