package chat.testing;

import io.vertx.core.json.JsonObject;

/** The Redis that the nodes of one or more test clusters share, in one of the broker's modes. */
public interface RedisBackend extends AutoCloseable {
  /** The {@code broker} settings that reach it: mode, then uri, or endpoints and master name. */
  JsonObject brokerConfig();

  @Override
  void close();
}
