package chat.store.sql;

import chat.config.StoreConfig;
import chat.store.BlockStore;
import chat.store.CardStore;
import chat.store.FriendStore;
import chat.store.GroupStore;
import chat.store.LogStore;
import chat.store.SecretStore;
import chat.store.StoreInUse;
import chat.store.Store;
import chat.store.TokenStore;
import chat.store.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import org.h2.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

/** The store over one {@link Pool}: the real MySQL/MariaDB, or embedded H2 in MySQL mode. */
public final class SqlStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(SqlStore.class);
  /** How long a request may wait for a pooled connection before it is answered 503. */
  private static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(5);
  private static final int CONNECT_TIMEOUT_MILLIS = 3000;

  private final GatedPool db;
  private final SqlUsers users;
  private final SqlFriends friends;
  private final SqlGroups groups;
  private final SqlLog log;
  private final SqlTokens tokens;
  private final SqlCards cards;
  private final SqlSecrets secrets;
  private final SqlBlocks blocks;

  private SqlStore(GatedPool db, GatedPool appends, Dialect dialect) {
    this.db = db;
    this.users = new SqlUsers(db, dialect);
    this.friends = new SqlFriends(db);
    this.groups = new SqlGroups(db, dialect);
    this.log = new SqlLog(db, appends, dialect);
    this.tokens = new SqlTokens(db);
    this.cards = new SqlCards(db, log);
    this.secrets = new SqlSecrets(db);
    this.blocks = new SqlBlocks(db);
  }

  /** Opens the configured store, creating and migrating its schema first. */
  public static Future<Store> open(Vertx vertx, StoreConfig config) {
    return open(vertx, config, ACQUIRE_TIMEOUT);
  }

  /** {@code acquireTimeout}: tests shorten it. */
  static Future<Store> open(Vertx vertx, StoreConfig config, Duration acquireTimeout) {
    // no acquire timeout of the pool's own (0): GatedPool times requests out instead
    PoolOptions poolOptions = new PoolOptions()
        .setName("chat-store")
        .setMaxSize(config.poolSize())
        .setConnectionTimeout(0);
    Dialect dialect = dialect(config);
    return pool(vertx, config, poolOptions).compose(p -> Migrations.migrate(p, dialect)
        .<SqlStore>map(before -> {
          if (before == 0) {
            LOG.info("new, empty store at {}{}", config.location(), dialect == Dialect.H2
                ? " (store.path is relative to the working directory: started from another directory, a node has"
                + " another store; an absolute CHAT_STORE_PATH pins it)"
                : "");
          }
          if (!config.appendsApart()) {
            GatedPool all = new GatedPool(vertx, p, dialect, config.poolSize(), acquireTimeout);
            return new SqlStore(all, all, dialect);
          }
          // the log's appends have connections of their own: a burst of other work (a login
          // storm) queues behind itself, never in front of the chat
          int appending = config.appendConnections();
          return new SqlStore(new GatedPool(vertx, p, dialect, config.poolSize() - appending, acquireTimeout),
              new GatedPool(vertx, p, dialect, appending, acquireTimeout), dialect);
        })
        .<Store>compose(store -> store.users.reportShared().map(store))
        .onFailure(err -> p.close()))
        .recover(err -> Future.failedFuture(isInUse(err) ? inUse(config, err) : err));
  }

  /** H2 opens a file for one process; a second one is refused with this code. */
  private static boolean isInUse(Throwable err) {
    return err instanceof SQLException sql && sql.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1;
  }

  private static StoreInUse inUse(StoreConfig config, Throwable err) {
    return new StoreInUse("cannot open the embedded store " + config.location() + ": another process (another node"
        + " started in this directory?) has it open, and an embedded store serves one node; stop that node, or"
        + " give this one a store of its own with " + StoreConfig.pathVariable() + " (\"store.path\" in the -conf"
        + " file, e.g. " + StoreConfig.pathVariable() + "=data/node2/chat); nodes that share their data run on"
        + " MariaDB or MySQL (scripts/cluster.sh)", err);
  }

  static Dialect dialect(StoreConfig config) {
    return config.type() == StoreConfig.Type.MYSQL ? Dialect.MYSQL : Dialect.H2;
  }

  /** A pool on the configured database (made first, on MySQL), its schema as it is. */
  static Future<Pool> pool(Vertx vertx, StoreConfig config, PoolOptions poolOptions) {
    return dialect(config) == Dialect.MYSQL
        ? mysqlPool(vertx, config, poolOptions)
        : Future.succeededFuture(h2Pool(vertx, config, poolOptions));
  }

  private static Future<Pool> mysqlPool(Vertx vertx, StoreConfig config, PoolOptions poolOptions) {
    MySQLConnectOptions server = new MySQLConnectOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setUser(config.user())
        .setPassword(config.password())
        .setCharset("utf8mb4")
        .setCollation("utf8mb4_bin")
        .setCachePreparedStatements(true)
        // an append batch's INSERT (and a cursor flush's) has a shape per row count, thousands of
        // characters long for big batches: room for them all, whatever their length, beside the rest
        .setPreparedStatementCacheMaxSize(1024)
        .setPreparedStatementCacheSqlLimit(256 * 1024)
        // statements sent together on one connection (a conversation's opening) go out at once
        .setPipeliningLimit(16);
    // the database name was validated as an identifier, so it may stand in the statement
    NetClientOptions net = new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
    SqlClient admin = MySQLBuilder.client().with(new PoolOptions().setName("chat-store-admin")).with(net)
        .connectingTo(server).using(vertx).build();
    return admin.query("CREATE DATABASE IF NOT EXISTS `" + config.database()
            + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin").execute()
        .eventually(admin::close)
        .map(v -> MySQLBuilder.pool()
            .with(poolOptions)
            .with(net)
            .connectingTo(new MySQLConnectOptions(server).setDatabase(config.database()))
            .using(vertx)
            .build());
  }

  private static Pool h2Pool(Vertx vertx, StoreConfig config, PoolOptions poolOptions) {
    String file = Path.of(config.path()).toAbsolutePath().toString();
    return JDBCPool.pool(vertx, new JDBCConnectOptions()
        .setJdbcUrl("jdbc:h2:file:" + file + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE")
        .setUser("sa")
        .setPassword(""), poolOptions);
  }

  @Override
  public UserStore users() {
    return users;
  }

  @Override
  public FriendStore friends() {
    return friends;
  }

  @Override
  public GroupStore groups() {
    return groups;
  }

  @Override
  public LogStore log() {
    return log;
  }

  @Override
  public TokenStore tokens() {
    return tokens;
  }

  @Override
  public CardStore cards() {
    return cards;
  }

  @Override
  public SecretStore secrets() {
    return secrets;
  }

  @Override
  public BlockStore blocks() {
    return blocks;
  }

  @Override
  public Future<Void> ping() {
    return db.query("SELECT 1").mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return db.close();
  }
}
