package chat.store;

import chat.config.StoreConfig;
import chat.store.sql.SqlStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Everything the node keeps, split by aggregate. */
public interface Store {
  UserStore users();

  FriendStore friends();

  GroupStore groups();

  OfflineStore offline();

  TokenStore tokens();

  CardStore cards();

  /** Succeeds when the database answers. */
  Future<Void> ping();

  Future<Void> close();

  /** Opens the configured store, creating and migrating its schema first. */
  static Future<Store> open(Vertx vertx, StoreConfig config) {
    return SqlStore.open(vertx, config);
  }
}
