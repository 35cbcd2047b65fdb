package chat.store.sql;

import chat.store.SecretStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

final class SqlSecrets implements SecretStore {
  private final GatedPool db;

  SqlSecrets(GatedPool db) {
    this.db = db;
  }

  @Override
  public Future<String> shared(String name, String proposal) {
    // of nodes starting together, the first insert wins and everyone reads the winner's value
    return db.execute("INSERT IGNORE INTO secrets (name, secret) VALUES (?, ?)", Tuple.of(name, proposal))
        .compose(v -> db.execute("SELECT secret FROM secrets WHERE name = ?", Tuple.of(name)))
        .map(rows -> Rows.first(rows).orElseThrow().getString(0));
  }
}
