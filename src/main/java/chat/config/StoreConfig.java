package chat.config;

/** Where users, friends, groups, tokens and offline messages live. */
public record StoreConfig(Type type, String path, String host, int port, String database,
                          String user, String password, int poolSize) {

  public enum Type { EMBEDDED, MYSQL }

  static StoreConfig parse(Reader r) {
    String database = r.string("database");
    // the database name is an identifier in CREATE DATABASE, never a bind parameter
    if (!database.matches("[A-Za-z0-9_]{1,64}")) {
      throw new IllegalArgumentException("'store.database' may only hold letters, digits and '_'");
    }
    return new StoreConfig(r.choice("type", Type.class), r.string("path"), r.string("host"),
        r.intIn("port", 1, 65535), database, r.string("user"), r.string("password"),
        r.intIn("poolSize", 1, 1000));
  }

  String describe() {
    return type == Type.EMBEDDED
        ? "embedded H2 at " + path
        : "mysql " + user + "@" + host + ":" + port + "/" + database + " (pool " + poolSize + ")";
  }
}
