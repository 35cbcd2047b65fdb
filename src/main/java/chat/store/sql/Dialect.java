package chat.store.sql;

import io.vertx.jdbcclient.JDBCPool;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.RowSet;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The few places where MySQL and embedded H2 (in MySQL mode) differ; all queries are shared. */
enum Dialect {
  MYSQL(" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin", "MEDIUMTEXT", null) {
    @Override
    long insertedId(RowSet<Row> rows) {
      return rows.property(MySQLClient.LAST_INSERTED_ID);
    }

    @Override
    boolean isDuplicateKey(Throwable error) {
      return error instanceof MySQLException e && e.getErrorCode() == 1062;
    }

    @Override
    boolean isMissingReference(Throwable error) {
      return error instanceof MySQLException e && e.getErrorCode() == 1452;
    }

    @Override
    boolean isDeadlock(Throwable error) {
      return error instanceof MySQLException e && (e.getErrorCode() == 1213 || e.getErrorCode() == 1205);
    }

    @Override
    String lockedLasts(String placeholders) {
      return "SELECT conv, MAX(cseq) FROM messages WHERE conv IN (" + placeholders + ") GROUP BY conv FOR UPDATE";
    }

    @Override
    String advanceCursors(String rows) {
      return "INSERT INTO cursors (user_id, conv, delivered, read_cseq) VALUES " + rows
          + " ON DUPLICATE KEY UPDATE delivered = GREATEST(delivered, VALUES(delivered)),"
          + " read_cseq = GREATEST(read_cseq, VALUES(read_cseq))";
    }

    @Override
    String markOwing(String rows) {
      return "INSERT INTO owing (user_id, held_by) VALUES " + rows + " ON DUPLICATE KEY UPDATE held_by = NULL";
    }

    // BEGIN, the statements and COMMIT go out at once on one connection: one round trip
    @Override
    Future<Void> together(Pool pool, List<GatedPool.Statement> statements) {
      return pool.withConnection(conn -> {
        List<Future<?>> each = new ArrayList<>(statements.size() + 2);
        each.add(conn.query("BEGIN").execute());
        statements.forEach(s -> each.add(conn.preparedQuery(s.sql()).execute(s.params())));
        each.add(conn.query("COMMIT").execute());
        return Future.join(each).transform(done -> {
          for (Future<?> f : each) {
            if (f.failed()) {
              return Future.failedFuture(f.cause());
            }
          }
          return Future.succeededFuture();
        });
      });
    }
  },
  // vertx-jdbc-client 5.0.7 leaves a connection in autocommit=false after COMMIT/ROLLBACK, so
  // later single statements on it would never be committed: put autocommit back ourselves
  H2("", "VARCHAR(1000000000)", "SET AUTOCOMMIT TRUE") {
    @Override
    long insertedId(RowSet<Row> rows) {
      return rows.property(JDBCPool.GENERATED_KEYS).getLong(0);
    }

    @Override
    boolean isDuplicateKey(Throwable error) {
      return hasSqlState(error, "23505");
    }

    @Override
    boolean isMissingReference(Throwable error) {
      return hasSqlState(error, "23506");
    }

    @Override
    boolean isDeadlock(Throwable error) {
      return hasSqlState(error, "40001");
    }

    // H2 locks no grouped read; the conversations' rows, locked first, keep its one node's appenders apart
    @Override
    String lockedLasts(String placeholders) {
      return "SELECT conv, MAX(cseq) FROM messages WHERE conv IN (" + placeholders + ") GROUP BY conv";
    }

    // H2 runs ON DUPLICATE KEY row by row, through a caught exception and a parsed UPDATE each
    // (its chat hot spot, docs/PERFORMANCE.md): the standard MERGE does it in one pass
    @Override
    String markOwing(String rows) {
      return "MERGE INTO owing KEY (user_id) VALUES " + rows;
    }

    @Override
    Future<Void> together(Pool pool, List<GatedPool.Statement> statements) {
      return inTransaction(pool, conn -> {
        Future<Void> chain = Future.succeededFuture();
        for (GatedPool.Statement s : statements) {
          // one after the other, each run whatever came of the one before, as on MySQL
          chain = chain.transform(before -> conn.preparedQuery(s.sql()).execute(s.params())
              .transform(now -> before.failed() ? Future.<Void>failedFuture(before.cause())
                  : now.failed() ? Future.<Void>failedFuture(now.cause()) : Future.<Void>succeededFuture()));
        }
        // a failure rolls H2's transaction back: what came before it too (harmless: marks alone)
        return chain;
      });
    }

    @Override
    String advanceCursors(String rows) {
      return "MERGE INTO cursors c USING (VALUES " + rows + ") AS v (user_id, conv, delivered, read_cseq)"
          + " ON c.user_id = v.user_id AND c.conv = v.conv"
          + " WHEN MATCHED THEN UPDATE SET delivered = GREATEST(c.delivered, v.delivered),"
          + " read_cseq = GREATEST(c.read_cseq, v.read_cseq)"
          + " WHEN NOT MATCHED THEN INSERT (user_id, conv, delivered, read_cseq)"
          + " VALUES (v.user_id, v.conv, v.delivered, v.read_cseq)";
    }
  };

  /** Appended to every CREATE TABLE. */
  final String tableOptions;
  /** A column type for message bodies of up to maxTextChars characters plus their envelope. */
  final String longText;

  /** Run on the connection after every transaction, or null. */
  final String afterTransaction;

  Dialect(String tableOptions, String longText, String afterTransaction) {
    this.tableOptions = tableOptions;
    this.longText = longText;
    this.afterTransaction = afterTransaction;
  }

  /** {@code Pool.withTransaction}, leaving the connection as it found it on every database. */
  <T> Future<T> inTransaction(Pool pool, Function<SqlConnection, Future<T>> work) {
    if (afterTransaction == null) {
      return pool.withTransaction(work);
    }
    return pool.withConnection(conn -> conn.begin().compose(tx -> work.apply(conn)
            .compose(result -> tx.commit().map(result), err -> tx.rollback().transform(v -> Future.<T>failedFuture(err))))
        .eventually(() -> conn.query(afterTransaction).execute()));
  }

  abstract long insertedId(RowSet<Row> rows);

  abstract boolean isDuplicateKey(Throwable error);

  /** Two transactions' locks crossed (or one waited too long): the one that got this may try again. */
  abstract boolean isDeadlock(Throwable error);

  /** The newest cseq of each conversation named, read so that no other transaction appends to them until commit. */
  abstract String lockedLasts(String placeholders);

  /** Moves cursors forward, never back, creating the missing ones: rows of (user_id, conv, delivered, read_cseq). */
  abstract String advanceCursors(String rows);

  /** Sets the owing mark of users, freed of any holder: rows of (user_id, NULL). */
  abstract String markOwing(String rows);

  /** See {@link GatedPool#together}. */
  abstract Future<Void> together(Pool pool, List<GatedPool.Statement> statements);

  /** A foreign key pointed at a row that does not exist. */
  abstract boolean isMissingReference(Throwable error);

  private static boolean hasSqlState(Throwable error, String state) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException e && state.equals(e.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
