package chat.store;

import io.vertx.core.Future;

import java.util.Optional;

/** Session tokens, kept only as digests. */
public interface TokenStore {
  Future<Void> save(String digest, long userId, long expiresAtMillis);

  /** The user a still-valid token belongs to, in one query. */
  Future<Optional<User>> owner(String digest, long nowMillis);

  Future<Void> revoke(String digest);
}
