package chat.config;

/** How messages travel between nodes: {@code local} (one node) or {@code redis} pub/sub. */
public record BrokerConfig(Type type, String uri) {

  public enum Type { LOCAL, REDIS }

  static BrokerConfig parse(Reader r) {
    return new BrokerConfig(r.choice("type", Type.class), r.string("uri"));
  }

  String describe() {
    return type == Type.LOCAL ? "local (single node)" : "redis " + uri.replaceAll("//[^@/]*@", "//***@");
  }
}
