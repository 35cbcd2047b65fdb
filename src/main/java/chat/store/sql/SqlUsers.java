package chat.store.sql;

import chat.store.DuplicateNameException;
import chat.store.NameFold;
import chat.store.User;
import chat.store.UserStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Users. Two columns hold the folded name ({@link NameFold}): {@code name_folded}, every user's,
 * for lookups by prefix, and {@code name_key}, unique, the same for the one user who holds the name
 * and NULL for the users registered before names were compared folded who share it with an older
 * one: one INSERT both checks and takes a name, on every node at once.
 */
final class SqlUsers implements UserStore {
  private static final Logger LOG = LoggerFactory.getLogger(SqlUsers.class);
  /** How many users sharing a name the start-up warning names. */
  private static final int SHARED_EXAMPLES = 5;

  private final GatedPool db;
  private final Dialect dialect;

  SqlUsers(GatedPool db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  @Override
  public Future<Long> create(String name, String passwordHash) {
    String folded = NameFold.of(name);
    if (!NameFold.fits(folded)) {
      return Future.failedFuture(new IllegalArgumentException("name '" + name + "' is too long once folded"));
    }
    return db.execute("INSERT INTO users (name, name_folded, name_key, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
            Tuple.of(name, folded, folded, passwordHash, System.currentTimeMillis()))
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
  public Future<Optional<Holder>> holder(String name) {
    // a form too long to be a key is looked up all the same: it takes as long, and finds nobody
    return db.execute("SELECT id, password_hash FROM users WHERE name_key = ?", Tuple.of(NameFold.of(name)))
        .map(rows -> Rows.first(rows).map(r -> new Holder(r.getLong(0), r.getString(1))));
  }

  @Override
  public Future<List<User>> findByPrefix(String prefix, int limit) {
    // LIKE with our own escape character, so that '%' and '_' in a name are only themselves
    String pattern = NameFold.of(prefix).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    return db.execute("SELECT id, name FROM users WHERE name_folded LIKE ? ESCAPE '!' ORDER BY name_folded, id LIMIT ?",
        Tuple.of(pattern, limit)).map(rows -> Rows.map(rows, SqlUsers::user));
  }

  @Override
  public Future<Void> changePassword(long id, String passwordHash) {
    return db.execute("UPDATE users SET password_hash = ? WHERE id = ?", Tuple.of(passwordHash, id)).mapEmpty();
  }

  /**
   * One WARN line when some users share their name (compared folded) with an older user: they were
   * registered before names were compared so. They keep their names and log in by id; nobody can
   * register such a name again.
   */
  Future<Void> reportShared() {
    return db.query("SELECT COUNT(*) FROM users WHERE name_key IS NULL")
        .map(rows -> rows.iterator().next().getLong(0))
        .compose(count -> count == 0 ? Future.succeededFuture() : db.execute(
                "SELECT u.id, u.name, h.id, h.name FROM users u LEFT JOIN users h ON h.name_key = u.name_folded"
                    + " WHERE u.name_key IS NULL ORDER BY u.id LIMIT ?", Tuple.of(SHARED_EXAMPLES))
            .map(rows -> {
              String examples = Rows.map(rows, SqlUsers::shared).stream().collect(Collectors.joining(", "));
              LOG.warn("{} user(s) registered before names became unique regardless of case and width share their"
                  + " name with an older user; they keep it and log in by id (a login by the name is the older"
                  + " user's): {}{}", count, examples, count > SHARED_EXAMPLES ? ", …" : "");
              return null;
            }));
  }

  private static String shared(Row row) {
    String user = row.getLong(0) + " '" + row.getString(1) + "'";
    return row.getValue(2) == null
        ? user + " (a name too long once folded to be held)"
        : user + " (as " + row.getLong(2) + " '" + row.getString(3) + "')";
  }

  static User user(Row row) {
    return new User(row.getLong(0), row.getString(1));
  }
}
