package chat.testing;

import java.util.function.Supplier;

/** The broker's three ways to run Redis, each with the real servers a test starts for it. */
public enum RedisMode {
  STANDALONE(TestRedis::start),
  SENTINEL(TestRedisHa::sentinel),
  CLUSTER(TestRedisHa::cluster);

  private final Supplier<RedisBackend> starter;

  RedisMode(Supplier<RedisBackend> starter) {
    this.starter = starter;
  }

  public RedisBackend start() {
    return starter.get();
  }
}
