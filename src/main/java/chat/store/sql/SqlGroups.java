package chat.store.sql;

import chat.store.Group;
import chat.store.GroupStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class SqlGroups implements GroupStore {
  private final GatedPool db;
  private final Dialect dialect;

  SqlGroups(GatedPool db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  @Override
  public Future<Long> create(long creatorId, String name, String description) {
    return db.inTransaction(conn -> conn
        .preparedQuery("INSERT INTO chat_groups (name, description, created_at) VALUES (?, ?, ?)")
        .execute(Tuple.of(name, description, System.currentTimeMillis()))
        .map(dialect::insertedId)
        .compose(groupId -> conn
            .preparedQuery("INSERT INTO group_members (group_id, user_id, role) VALUES (?, ?, ?)")
            .execute(Tuple.of(groupId, creatorId, Group.Member.CREATOR))
            .map(groupId)));
  }

  @Override
  public Future<Boolean> join(long groupId, long userId) {
    return db.execute("INSERT IGNORE INTO group_members (group_id, user_id, role)"
            + " SELECT id, ?, ? FROM chat_groups WHERE id = ?", Tuple.of(userId, Group.Member.NORMAL, groupId))
        .compose(rows -> rows.rowCount() > 0 ? Future.succeededFuture(true) : exists(groupId));
  }

  private Future<Boolean> exists(long groupId) {
    return db.execute("SELECT id FROM chat_groups WHERE id = ?", Tuple.of(groupId))
        .map(rows -> rows.size() > 0);
  }

  @Override
  public Future<Optional<List<Long>>> memberIds(long groupId) {
    return db.execute("SELECT g.id, m.user_id FROM chat_groups g"
            + " LEFT JOIN group_members m ON m.group_id = g.id WHERE g.id = ?", Tuple.of(groupId))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          List<Long> ids = new ArrayList<>(rows.size());
          for (Row row : rows) {
            Long id = row.getLong(1);
            if (id != null) {
              ids.add(id);
            }
          }
          return Optional.of(ids);
        });
  }
}
