package chat.store.sql;

import chat.store.TokenStore;
import chat.store.User;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.Optional;

final class SqlTokens implements TokenStore {
  private final Pool pool;

  SqlTokens(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> save(String digest, long userId, long expiresAtMillis) {
    // a login is a good moment to forget the user's expired tokens
    return pool.preparedQuery("DELETE FROM session_tokens WHERE user_id = ? AND expires_at < ?")
        .execute(Tuple.of(userId, System.currentTimeMillis()))
        .compose(v -> pool.preparedQuery("INSERT INTO session_tokens (digest, user_id, expires_at) VALUES (?, ?, ?)")
            .execute(Tuple.of(digest, userId, expiresAtMillis)))
        .mapEmpty();
  }

  @Override
  public Future<Optional<User>> owner(String digest, long nowMillis) {
    return pool.preparedQuery("SELECT u.id, u.name FROM session_tokens t JOIN users u ON u.id = t.user_id"
            + " WHERE t.digest = ? AND t.expires_at > ?")
        .execute(Tuple.of(digest, nowMillis))
        .map(rows -> Rows.first(rows).map(SqlUsers::user));
  }

  @Override
  public Future<Void> revoke(String digest) {
    return pool.preparedQuery("DELETE FROM session_tokens WHERE digest = ?").execute(Tuple.of(digest)).mapEmpty();
  }
}
