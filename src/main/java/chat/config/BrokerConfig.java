package chat.config;

/** How messages travel between nodes: {@code local} (one node) or {@code redis} pub/sub. */
public record BrokerConfig(Type type, String uri, int leaseSeconds, String namespace) {
  /** A node that stops renewing its lease counts as dead, and its users as offline, after this long. */
  public static final int DEFAULT_LEASE_SECONDS = 10;

  public enum Type { LOCAL, REDIS }

  static BrokerConfig parse(Reader r) {
    String uri = r.string("uri");
    if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
      throw new IllegalArgumentException("'broker.uri' must start with redis:// or rediss://");
    }
    String namespace = r.string("namespace");
    // part of every Redis key and channel name
    if (!namespace.matches("[A-Za-z0-9_.-]{0,64}")) {
      throw new IllegalArgumentException("'broker.namespace' may only hold letters, digits, '_', '.' and '-' (at most 64)");
    }
    return new BrokerConfig(r.choice("type", Type.class), uri, r.intIn("leaseSeconds", 2, 300), namespace);
  }

  String describe() {
    return type == Type.LOCAL ? "local (single node)" : "redis " + uri.replaceAll("//[^@/]*@", "//***@");
  }
}
