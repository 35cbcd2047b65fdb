package chat.config;

import java.util.List;

/**
 * How messages travel between nodes: {@code local} (one node) or {@code redis} pub/sub. Redis runs
 * as one server ({@code standalone}, at {@code uri}), behind Sentinel ({@code sentinel}: the
 * {@code endpoints} are the sentinels, which name the master of {@code masterName}) or as a Redis
 * Cluster ({@code cluster}: the {@code endpoints} are some of its nodes).
 */
public record BrokerConfig(Type type, Mode mode, String uri, List<String> endpoints, String masterName,
                           int leaseSeconds, String namespace) {
  /** A node that stops renewing its lease counts as dead, and its users as offline, after this long. */
  public static final int DEFAULT_LEASE_SECONDS = 10;
  public static final String DEFAULT_MASTER_NAME = "mymaster";

  public enum Type { LOCAL, REDIS }

  public enum Mode { STANDALONE, SENTINEL, CLUSTER }

  static BrokerConfig parse(Reader r) {
    String uri = redisUri("broker.uri", r.string("uri"));
    List<String> endpoints = r.strings("endpoints");
    endpoints.forEach(e -> redisUri("broker.endpoints", e));
    Mode mode = r.choice("mode", Mode.class);
    if (mode == Mode.STANDALONE && !endpoints.isEmpty()) {
      throw new IllegalArgumentException("'broker.endpoints' is for the sentinel and cluster modes; "
          + "standalone Redis is 'broker.uri'");
    }
    if (mode != Mode.STANDALONE && endpoints.isEmpty()) {
      throw new IllegalArgumentException("'broker.mode' " + mode.name().toLowerCase()
          + " needs 'broker.endpoints': redis:// URIs of " + (mode == Mode.SENTINEL ? "the sentinels" : "some cluster nodes"));
    }
    String masterName = r.string("masterName");
    if (!masterName.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("'broker.masterName' must be 1 to 64 letters, digits, '_', '.' or '-'");
    }
    String namespace = r.string("namespace");
    // part of every Redis key and channel name
    if (!namespace.matches("[A-Za-z0-9_.-]{0,64}")) {
      throw new IllegalArgumentException("'broker.namespace' may only hold letters, digits, '_', '.' and '-' (at most 64)");
    }
    return new BrokerConfig(r.choice("type", Type.class), mode, uri, endpoints, masterName,
        r.intIn("leaseSeconds", 2, 300), namespace);
  }

  private static String redisUri(String key, String uri) {
    if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
      throw new IllegalArgumentException("'" + key + "' must start with redis:// or rediss://, not '" + masked(uri) + "'");
    }
    return uri;
  }

  String describe() {
    if (type == Type.LOCAL) {
      return "local (single node)";
    }
    return switch (mode) {
      case STANDALONE -> "redis " + masked(uri);
      case SENTINEL -> "redis sentinel, master '" + masterName + "' via " + masked(String.join(",", endpoints));
      case CLUSTER -> "redis cluster via " + masked(String.join(",", endpoints));
    };
  }

  private static String masked(String uris) {
    return uris.replaceAll("//[^@/,]*@", "//***@");
  }
}
