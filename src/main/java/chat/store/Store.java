package chat.store;

import io.vertx.core.Future;

/** Everything the node keeps, split by aggregate. */
public interface Store {
  UserStore users();

  FriendStore friends();

  GroupStore groups();

  LogStore log();

  TokenStore tokens();

  CardStore cards();

  SecretStore secrets();

  BlockStore blocks();

  /** Succeeds when the database answers. */
  Future<Void> ping();

  Future<Void> close();
}
