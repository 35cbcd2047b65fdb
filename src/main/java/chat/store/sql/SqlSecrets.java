package chat.store.sql;

import chat.store.SecretStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

final class SqlSecrets implements SecretStore {
  private final Pool pool;

  SqlSecrets(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<String> shared(String name, String proposal) {
    // of nodes starting together, the first insert wins and everyone reads the winner's value
    return pool.preparedQuery("INSERT IGNORE INTO secrets (name, secret) VALUES (?, ?)")
        .execute(Tuple.of(name, proposal))
        .compose(v -> pool.preparedQuery("SELECT secret FROM secrets WHERE name = ?").execute(Tuple.of(name)))
        .map(rows -> Rows.first(rows).orElseThrow().getString(0));
  }
}
