package chat.store.sql;

import chat.store.OfflineStore;
import chat.store.StoredMessage;
import chat.store.UnknownUserException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
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

  private final Pool pool;
  private final Dialect dialect;

  SqlOffline(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  @Override
  public Future<Void> save(long userId, String body) {
    return pool.preparedQuery(INSERT).execute(Tuple.of(userId, body, System.currentTimeMillis()))
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
      return insertRows(pool, ids, body, now);
    }
    // several statements: all or none, so that a retry after a failure stores no duplicates
    return dialect.inTransaction(pool, conn -> {
      Future<Void> chain = Future.succeededFuture();
      for (int from = 0; from < ids.size(); from += perStatement) {
        List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + perStatement));
        chain = chain.compose(v -> insertRows(conn, chunk, body, now));
      }
      return chain;
    });
  }

  private static Future<Void> insertRows(SqlClient client, List<Long> userIds, String body, long now) {
    StringBuilder sql = new StringBuilder("INSERT INTO offline_messages (user_id, body, created_at) VALUES ");
    Tuple params = Tuple.tuple();
    for (int i = 0; i < userIds.size(); i++) {
      sql.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
      params.addLong(userIds.get(i)).addString(body).addLong(now);
    }
    return client.preparedQuery(sql.toString()).execute(params).mapEmpty();
  }

  @Override
  public Future<List<StoredMessage>> peek(long userId, int limit) {
    return pool.preparedQuery("SELECT id, body FROM offline_messages WHERE user_id = ? ORDER BY id LIMIT ?")
        .execute(Tuple.of(userId, limit))
        .map(rows -> Rows.map(rows, r -> new StoredMessage(r.getLong(0), r.getString(1))));
  }

  @Override
  public Future<Void> remove(long userId, long lastId) {
    return pool.preparedQuery("DELETE FROM offline_messages WHERE user_id = ? AND id <= ?")
        .execute(Tuple.of(userId, lastId))
        .mapEmpty();
  }
}
