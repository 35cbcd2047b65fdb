package chat.store.sql;

import chat.store.TokenStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

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
  public Future<Void> revoke(String digest) {
    return pool.preparedQuery("DELETE FROM session_tokens WHERE digest = ?").execute(Tuple.of(digest)).mapEmpty();
  }
}
