package chat.store;

import io.vertx.core.Future;

/** Session tokens, kept only as digests. */
public interface TokenStore {
  Future<Void> save(String digest, long userId, long expiresAtMillis);

  /** The key every node of the cluster uses for token MACs; made by the first node that asks. */
  Future<byte[]> macKey();

  Future<Void> revoke(String digest);
}
