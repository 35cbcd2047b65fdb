package chat.store.sql;

import chat.store.BlockStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.HashSet;
import java.util.Set;

/** Blocks in one table, {@code blocks} (blocker, blocked), with an index for who blocks a user. */
final class SqlBlocks implements BlockStore {
  private final GatedPool db;

  SqlBlocks(GatedPool db) {
    this.db = db;
  }

  @Override
  public Future<Blocked> block(long userId, long other) {
    return db.inTransaction(conn -> conn.preparedQuery("INSERT IGNORE INTO blocks (user_id, blocked_id) VALUES (?, ?)")
        .execute(Tuple.of(userId, other))
        .compose(added -> conn.preparedQuery("DELETE FROM friends WHERE (user_id = ? AND friend_id = ?)"
                + " OR (user_id = ? AND friend_id = ?)").execute(Tuple.of(userId, other, other, userId))
            .map(unfriended -> new Blocked(added.rowCount() > 0, unfriended.rowCount() > 0))));
  }

  @Override
  public Future<Boolean> unblock(long userId, long other) {
    return db.execute("DELETE FROM blocks WHERE user_id = ? AND blocked_id = ?", Tuple.of(userId, other))
        .map(rows -> rows.rowCount() > 0);
  }

  @Override
  public Future<Lists> lists(long userId) {
    return db.execute("SELECT 0, blocked_id FROM blocks WHERE user_id = ?"
        + " UNION ALL SELECT 1, user_id FROM blocks WHERE blocked_id = ?", Tuple.of(userId, userId)).map(rows -> {
          Set<Long> blocked = new HashSet<>();
          Set<Long> blockers = new HashSet<>();
          for (Row row : rows) {
            (row.getInteger(0) == 0 ? blocked : blockers).add(row.getLong(1));
          }
          return new Lists(Set.copyOf(blocked), Set.copyOf(blockers));
        });
  }
}
