package chat.store.sql;

import chat.store.DuplicateNameException;
import chat.store.User;
import chat.store.UserStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

final class SqlUsers implements UserStore {
  private final GatedPool db;
  private final Dialect dialect;

  SqlUsers(GatedPool db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  @Override
  public Future<Long> create(String name, String passwordHash) {
    return db.execute("INSERT INTO users (name, name_folded, password_hash, created_at) VALUES (?, ?, ?, ?)",
            Tuple.of(name, folded(name), passwordHash, System.currentTimeMillis()))
        .map(dialect::insertedId)
        .recover(err -> Future.failedFuture(dialect.isDuplicateKey(err) ? new DuplicateNameException(name) : err));
  }

  @Override
  public Future<Optional<String>> passwordHash(long id) {
    return db.execute("SELECT password_hash FROM users WHERE id = ?", Tuple.of(id))
        .map(rows -> Rows.first(rows).map(r -> r.getString(0)));
  }

  @Override
  public Future<Optional<User>> find(long id) {
    return db.execute("SELECT id, name FROM users WHERE id = ?", Tuple.of(id))
        .map(rows -> Rows.first(rows).map(SqlUsers::user));
  }

  @Override
  public Future<List<User>> findByPrefix(String prefix, int limit) {
    // LIKE with our own escape character, so that '%' and '_' in a name are only themselves
    String pattern = folded(prefix).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    return db.execute("SELECT id, name FROM users WHERE name_folded LIKE ? ESCAPE '!' ORDER BY name_folded, id LIMIT ?",
        Tuple.of(pattern, limit)).map(rows -> Rows.map(rows, SqlUsers::user));
  }

  @Override
  public Future<Void> changePassword(long id, String passwordHash) {
    return db.execute("UPDATE users SET password_hash = ? WHERE id = ?", Tuple.of(passwordHash, id)).mapEmpty();
  }

  /** The name as looked up by prefix: case folded the same way on every store. */
  static String folded(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  static User user(Row row) {
    return new User(row.getLong(0), row.getString(1));
  }
}
