package chat.store;

import io.vertx.core.Future;

/** Values every node sharing this store must agree on (the token MAC key, the cluster id). */
public interface SecretStore {
  /**
   * The value kept under {@code name}; the first node to ask stores its {@code proposal}, and
   * every node, also of several starting together, gets that same value.
   */
  Future<String> shared(String name, String proposal);
}
