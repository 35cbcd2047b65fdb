package chat.store.sql;

import io.vertx.jdbcclient.JDBCPool;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.sql.SQLException;

/** The few places where MySQL and embedded H2 (in MySQL mode) differ; all queries are shared. */
enum Dialect {
  MYSQL(" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin", "MEDIUMTEXT") {
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
  },
  H2("", "VARCHAR(1000000)") {
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
  };

  /** Appended to every CREATE TABLE. */
  final String tableOptions;
  /** A column type for message bodies of up to maxTextChars characters plus their envelope. */
  final String longText;

  Dialect(String tableOptions, String longText) {
    this.tableOptions = tableOptions;
    this.longText = longText;
  }

  abstract long insertedId(RowSet<Row> rows);

  abstract boolean isDuplicateKey(Throwable error);

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
