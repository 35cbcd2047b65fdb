package chat.config;

import java.nio.file.Path;

/**
 * Where users, friends, groups, tokens and the conversations' logs live. {@code appendConnections}
 * of the pool's connections only append to the logs (as many batches in flight at once), so no
 * burst of other work holds up chat; with a pool that small, everything shares it.
 */
public record StoreConfig(Type type, String path, String host, int port, String database,
                          String user, String password, int poolSize, int appendConnections) {
  public static final int DEFAULT_POOL_SIZE = 12;
  public static final int DEFAULT_APPEND_CONNECTIONS = 4;

  public enum Type { EMBEDDED, MYSQL }

  static StoreConfig parse(Reader r) {
    String database = r.string("database");
    // the database name is an identifier in CREATE DATABASE, never a bind parameter
    if (!database.matches("[A-Za-z0-9_]{1,64}")) {
      throw new IllegalArgumentException("'store.database' may only hold letters, digits and '_'");
    }
    return new StoreConfig(r.choice("type", Type.class), r.string("path"), r.string("host"),
        r.intIn("port", 1, 65535), database, r.string("user"), r.string("password"),
        r.intIn("poolSize", 1, 1000), r.intIn("appendConnections", 1, 64));
  }

  /** Batches of appends in flight at once: the connections kept for them, or the whole pool when it is that small. */
  public int appendLanes() {
    return Math.min(appendConnections, poolSize);
  }

  /** Whether appends have connections of their own. */
  public boolean appendsApart() {
    return poolSize > appendConnections;
  }

  /**
   * Where the data is: the embedded store's file, made absolute (store.path is relative to the
   * working directory, so a node started elsewhere finds another, empty store), or the database.
   */
  public String location() {
    return type == Type.EMBEDDED
        ? Path.of(path + ".mv.db").toAbsolutePath().normalize().toString()
        : host + ":" + port + "/" + database;
  }

  /** The variable of {@code store.path}, for messages that tell how to give a node another embedded store. */
  public static String pathVariable() {
    return EnvOverrides.variable("store.path");
  }

  String describe() {
    return type == Type.EMBEDDED
        ? "embedded H2 at " + location()
        : "mysql " + user + "@" + location() + " (pool " + poolSize + ", " + appendLanes() + " appending)";
  }
}
