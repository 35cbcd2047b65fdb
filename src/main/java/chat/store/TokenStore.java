package chat.store;

import io.vertx.core.Future;

/** Session tokens, kept only as digests. */
public interface TokenStore {
  Future<Void> save(String digest, long userId, long expiresAtMillis);

  Future<Void> revoke(String digest);

  /** Whether the token with this digest is the user's and neither revoked nor expired at {@code nowMillis}. */
  Future<Boolean> valid(String digest, long userId, long nowMillis);

  /** Revokes every token of the user but the one with digest {@code keep} (null: all). */
  Future<Void> revokeAllBut(long userId, String keep);
}
