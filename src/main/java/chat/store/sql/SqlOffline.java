package chat.store.sql;

import chat.store.OfflineStore;
import chat.store.StoredMessage;
import chat.store.UnknownUserException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

final class SqlOffline implements OfflineStore {
  private static final int BATCH_ROWS = 500;
  /** Bytes of bodies per INSERT: a quarter of MariaDB's default max_allowed_packet (16 MiB). */
  private static final int BATCH_BYTES = 4 * 1024 * 1024;
  /** A row's parameters besides its body. */
  private static final int ROW_BYTES = 32;
  private static final String INSERT = "INSERT INTO offline_messages (user_id, body, created_at) VALUES (?, ?, ?)";

  private final GatedPool db;
  private final Dialect dialect;

  SqlOffline(GatedPool db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  @Override
  public Future<Void> save(long userId, String body) {
    return db.execute(INSERT, Tuple.of(userId, body, System.currentTimeMillis()))
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(dialect.isMissingReference(err) ? new UnknownUserException(userId) : err));
  }

  @Override
  public Future<Void> saveAll(Collection<Long> userIds, String body) {
    if (userIds.isEmpty()) {
      return Future.succeededFuture();
    }
    // multi-row INSERTs, one round trip per chunk, each small enough for MariaDB's max_allowed_packet
    int perStatement = Math.max(1, Math.min(BATCH_ROWS,
        BATCH_BYTES / (body.getBytes(StandardCharsets.UTF_8).length + ROW_BYTES)));
    long now = System.currentTimeMillis();
    List<Long> ids = new ArrayList<>(userIds);
    if (ids.size() <= perStatement) {
      return db.execute(insert(ids.size()), rows(ids, body, now)).mapEmpty();
    }
    // several statements: all or none, so that a retry after a failure stores no duplicates
    return db.inTransaction(conn -> {
      Future<Void> chain = Future.succeededFuture();
      for (int from = 0; from < ids.size(); from += perStatement) {
        List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + perStatement));
        chain = chain.compose(v -> conn.preparedQuery(insert(chunk.size())).execute(rows(chunk, body, now)).mapEmpty());
      }
      return chain;
    });
  }

  /** An INSERT of {@code rows} rows. */
  private static String insert(int rows) {
    StringBuilder sql = new StringBuilder("INSERT INTO offline_messages (user_id, body, created_at) VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
    }
    return sql.toString();
  }

  private static Tuple rows(List<Long> userIds, String body, long now) {
    Tuple params = Tuple.tuple();
    for (long id : userIds) {
      params.addLong(id).addString(body).addLong(now);
    }
    return params;
  }

  @Override
  public Future<List<StoredMessage>> peek(long userId, int limit) {
    return db.execute("SELECT id, body FROM offline_messages WHERE user_id = ? ORDER BY id LIMIT ?",
            Tuple.of(userId, limit))
        .map(rows -> Rows.map(rows, r -> new StoredMessage(r.getLong(0), r.getString(1))));
  }

  @Override
  public Future<Void> remove(long userId, long lastId) {
    return db.execute("DELETE FROM offline_messages WHERE user_id = ? AND id <= ?", Tuple.of(userId, lastId))
        .mapEmpty();
  }
}
