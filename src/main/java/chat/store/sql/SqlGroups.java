package chat.store.sql;

import chat.store.ConvId;
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

  /** The group, its creator as first member, and its conversation with the creator's cursor, at once. */
  @Override
  public Future<Long> create(long creatorId, String name, String description) {
    long now = System.currentTimeMillis();
    return db.inTransaction(conn -> conn
        .preparedQuery("INSERT INTO chat_groups (name, description, created_at) VALUES (?, ?, ?)")
        .execute(Tuple.of(name, description, now))
        .map(dialect::insertedId)
        .compose(groupId -> conn
            .preparedQuery("INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)")
            .execute(Tuple.of(groupId, creatorId, Group.Member.CREATOR, now))
            .compose(v -> conn.preparedQuery("INSERT INTO conversations (conv, group_id) VALUES (?, ?)")
                .execute(Tuple.of(ConvId.ofGroup(groupId).key(), groupId)))
            .compose(v -> conn.preparedQuery("INSERT INTO cursors (user_id, conv, delivered, read_cseq)"
                + " VALUES (?, ?, 0, 0)").execute(Tuple.of(creatorId, ConvId.ofGroup(groupId).key())))
            .map(groupId)));
  }

  /**
   * A new member's cursors start at the group's newest message: what was written before is there
   * to read (SYNC), but not owed to them as offline messages.
   */
  @Override
  public Future<Joined> join(long groupId, long userId) {
    return db.inTransaction(conn -> conn.preparedQuery("INSERT IGNORE INTO group_members (group_id, user_id, role,"
            + " joined_at) SELECT id, ?, ?, ? FROM chat_groups WHERE id = ?")
        .execute(Tuple.of(userId, Group.Member.NORMAL, System.currentTimeMillis(), groupId))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(rows) : conn.preparedQuery(
            "DELETE FROM past_members WHERE group_id = ? AND user_id = ?").execute(Tuple.of(groupId, userId)).map(rows))
        // a cursor left from an earlier membership (written again by a late cursor move) starts over
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(rows) : conn.preparedQuery(
            "DELETE FROM cursors WHERE user_id = ? AND conv = ?").execute(Tuple.of(userId, ConvId.ofGroup(groupId).key()))
            .map(rows))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(rows) : conn.preparedQuery(
                "INSERT IGNORE INTO cursors (user_id, conv, delivered, read_cseq, joined_cseq)"
                    + " SELECT ?, ?, COALESCE(MAX(cseq), 0), COALESCE(MAX(cseq), 0), COALESCE(MAX(cseq), 0)"
                    + " FROM messages WHERE conv = ?")
            .execute(Tuple.of(userId, ConvId.ofGroup(groupId).key(), ConvId.ofGroup(groupId).key())).map(rows))
        .compose(rows -> rows.rowCount() > 0 ? Future.succeededFuture(Joined.NEW_MEMBER)
            : exists(conn, groupId).map(exists -> exists ? Joined.ALREADY_MEMBER : Joined.NO_SUCH_GROUP)));
  }

  @Override
  public Future<Left> leave(long groupId, long userId) {
    String conv = ConvId.ofGroup(groupId).key();
    return db.inTransaction(conn -> conn.preparedQuery("SELECT role FROM group_members WHERE group_id = ? AND user_id = ?")
        .execute(Tuple.of(groupId, userId))
        .compose(role -> {
          if (role.size() == 0) {
            return Future.succeededFuture(new Left(false, null, false));
          }
          boolean creator = Group.Member.CREATOR.equals(role.iterator().next().getString(0));
          return conn.preparedQuery("DELETE FROM past_members WHERE group_id = ? AND user_id = ?")
              .execute(Tuple.of(groupId, userId))
              // where the log stood: the user may read it that far, no further
              .compose(v -> conn.preparedQuery("INSERT INTO past_members (group_id, user_id, left_cseq)"
                  + " SELECT ?, ?, COALESCE(MAX(cseq), 0) FROM messages WHERE conv = ?")
                  .execute(Tuple.of(groupId, userId, conv)))
              .compose(v -> conn.preparedQuery("DELETE FROM group_members WHERE group_id = ? AND user_id = ?")
                  .execute(Tuple.of(groupId, userId)))
              .compose(v -> conn.preparedQuery("DELETE FROM cursors WHERE user_id = ? AND conv = ?")
                  .execute(Tuple.of(userId, conv)))
              .compose(v -> conn.preparedQuery("SELECT user_id FROM group_members WHERE group_id = ?"
                  + " ORDER BY joined_at, user_id LIMIT 1").execute(Tuple.of(groupId)))
              .compose(longest -> {
                if (longest.size() == 0) {
                  // the last member ends the group; its log stays for those who were in it
                  return conn.preparedQuery("DELETE FROM chat_groups WHERE id = ?").execute(Tuple.of(groupId))
                      .map(v -> new Left(true, null, true));
                }
                long heir = longest.iterator().next().getLong(0);
                return !creator
                    ? Future.succeededFuture(new Left(true, null, false))
                    : conn.preparedQuery("UPDATE group_members SET role = ? WHERE group_id = ? AND user_id = ?")
                        .execute(Tuple.of(Group.Member.CREATOR, groupId, heir))
                        .map(v -> new Left(true, heir, false));
              });
        }));
  }

  @Override
  public Future<Optional<Long>> leftAt(long groupId, long userId) {
    return db.execute("SELECT left_cseq FROM past_members WHERE group_id = ? AND user_id = ?", Tuple.of(groupId, userId))
        .map(rows -> Rows.first(rows).map(r -> r.getLong(0)));
  }

  private static Future<Boolean> exists(io.vertx.sqlclient.SqlConnection conn, long groupId) {
    return conn.preparedQuery("SELECT id FROM chat_groups WHERE id = ?").execute(Tuple.of(groupId))
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

  @Override
  public Future<Boolean> isCreator(long groupId, long userId) {
    return db.execute("SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ? AND role = ?",
        Tuple.of(groupId, userId, Group.Member.CREATOR)).map(rows -> rows.size() > 0);
  }
}
