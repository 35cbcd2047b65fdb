package chat.store.sql;

import chat.store.TokenStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

final class SqlTokens implements TokenStore {
  private final GatedPool db;

  SqlTokens(GatedPool db) {
    this.db = db;
  }

  @Override
  public Future<Void> save(String digest, long userId, long expiresAtMillis) {
    // a login is a good moment to forget the user's expired tokens
    return db.execute("DELETE FROM session_tokens WHERE user_id = ? AND expires_at < ?",
            Tuple.of(userId, System.currentTimeMillis()))
        .compose(v -> db.execute("INSERT INTO session_tokens (digest, user_id, expires_at) VALUES (?, ?, ?)",
            Tuple.of(digest, userId, expiresAtMillis)))
        .mapEmpty();
  }

  @Override
  public Future<Void> revoke(String digest) {
    return db.execute("DELETE FROM session_tokens WHERE digest = ?", Tuple.of(digest)).mapEmpty();
  }

  @Override
  public Future<Boolean> valid(String digest, long userId, long nowMillis) {
    return db.execute("SELECT 1 FROM session_tokens WHERE digest = ? AND user_id = ? AND expires_at > ?",
        Tuple.of(digest, userId, nowMillis)).map(rows -> rows.size() > 0);
  }

  @Override
  public Future<Void> revokeAllBut(long userId, String keep) {
    return (keep == null
        ? db.execute("DELETE FROM session_tokens WHERE user_id = ?", Tuple.of(userId))
        : db.execute("DELETE FROM session_tokens WHERE user_id = ? AND digest <> ?", Tuple.of(userId, keep)))
        .mapEmpty();
  }
}
