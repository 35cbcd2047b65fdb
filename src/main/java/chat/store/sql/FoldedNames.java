package chat.store.sql;

import chat.store.NameFold;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * Schema version 10's data step: every user's folded name ({@link NameFold}: no database folds
 * alike, so it is computed here) into {@code name_folded}, and the oldest user of each folded name
 * holds it in {@code name_key}; the users who share it with an older one keep their names and no
 * key. A folded form too long for the key ({@link NameFold#MAX_CHARS}) is kept cut for lookups by
 * prefix, and held by nobody. Then the key becomes unique.
 */
final class FoldedNames {
  private static final int PAGE = 1000;

  private FoldedNames() {
  }

  static Future<Void> run(SqlConnection conn) {
    List<Tuple> overlong = new ArrayList<>();
    return fold(conn, 0, overlong)
        .compose(v -> conn.query("UPDATE users SET name_key = name_folded WHERE id IN"
            + " (SELECT first_id FROM (SELECT MIN(id) AS first_id FROM users GROUP BY name_folded) AS firsts)").execute())
        .compose(v -> overlong.isEmpty() ? Future.succeededFuture()
            : conn.preparedQuery("UPDATE users SET name_key = NULL WHERE id = ?").executeBatch(overlong))
        .compose(v -> conn.query("CREATE UNIQUE INDEX users_name_key ON users (name_key)").execute())
        .mapEmpty();
  }

  /** Folds the names of the users after {@code after}, a page at a time. */
  private static Future<Void> fold(SqlConnection conn, long after, List<Tuple> overlong) {
    return conn.preparedQuery("SELECT id, name FROM users WHERE id > ? ORDER BY id LIMIT " + PAGE)
        .execute(Tuple.of(after))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture();
          }
          List<Tuple> updates = new ArrayList<>(rows.size());
          long last = after;
          for (Row row : rows) {
            last = row.getLong(0);
            String folded = NameFold.of(row.getString(1));
            if (!NameFold.fits(folded)) {
              overlong.add(Tuple.of(last));
              folded = folded.substring(0, folded.offsetByCodePoints(0, NameFold.MAX_CHARS));
            }
            updates.add(Tuple.of(folded, last));
          }
          long next = last;
          return conn.preparedQuery("UPDATE users SET name_folded = ? WHERE id = ?").executeBatch(updates)
              .compose(v -> fold(conn, next, overlong));
        });
  }
}
