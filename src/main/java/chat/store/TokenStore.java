package chat.store;

import io.vertx.core.Future;

/** Session tokens, kept only as digests. */
public interface TokenStore {
  Future<Void> save(String digest, long userId, long expiresAtMillis);

  Future<Void> revoke(String digest);

  /** Revokes every token of the user but the one with digest {@code keep} (null: all). */
  Future<Void> revokeAllBut(long userId, String keep);
}
