package chat.testing;

import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A test class that runs once in each of the broker's Redis modes (one server, Sentinel, a Redis
 * Cluster of three shards), each run on one Redis started for the whole class: its tests' clusters
 * share it, each with its own store and so its own namespace.
 */
@ParameterizedClass
@EnumSource(RedisMode.class)
public abstract class OnEveryRedisMode {
  private static RedisBackend redis;

  /** The mode of this run (its Redis is {@link #redis()}). */
  @Parameter
  protected RedisMode mode;

  @BeforeParameterizedClassInvocation
  protected static void startRedis(RedisMode mode) {
    redis = mode.start();
  }

  @AfterParameterizedClassInvocation
  protected static void stopRedis() {
    redis.close();
    redis = null;
  }

  protected static RedisBackend redis() {
    return redis;
  }
}
