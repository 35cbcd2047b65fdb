package chat.store.sql;

import chat.store.TokenStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.util.HexFormat;

final class SqlTokens implements TokenStore {
  private static final String MAC_KEY = "token_mac";
  private static final int MAC_KEY_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

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
  public Future<byte[]> macKey() {
    // of nodes starting together, the first insert wins and everyone reads the winner's key
    byte[] mine = new byte[MAC_KEY_BYTES];
    RANDOM.nextBytes(mine);
    return pool.preparedQuery("INSERT IGNORE INTO secrets (name, secret) VALUES (?, ?)")
        .execute(Tuple.of(MAC_KEY, HexFormat.of().formatHex(mine)))
        .compose(v -> pool.preparedQuery("SELECT secret FROM secrets WHERE name = ?").execute(Tuple.of(MAC_KEY)))
        .map(rows -> HexFormat.of().parseHex(Rows.first(rows).orElseThrow().getString(0)));
  }

  @Override
  public Future<Void> revoke(String digest) {
    return pool.preparedQuery("DELETE FROM session_tokens WHERE digest = ?").execute(Tuple.of(digest)).mapEmpty();
  }
}
