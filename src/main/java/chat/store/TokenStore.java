package chat.store;

import io.vertx.core.Future;

/** Session tokens, kept only as digests. */
public interface TokenStore {
  Future<Void> save(String digest, long userId, long expiresAtMillis);

  Future<Void> revoke(String digest);
}
