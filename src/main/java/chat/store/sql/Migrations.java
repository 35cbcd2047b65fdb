package chat.store.sql;

import chat.store.NameFold;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Function;

/**
 * The versioned schema. Each version is applied once, in order — a list of statements, or a step
 * that also moves data; the table {@code schema_version} records how far a database has come, so
 * later versions migrate an existing database. Append new versions; never edit an applied one.
 */
final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  /** One version's change. */
  private interface Step {
    Future<Void> apply(SqlConnection conn, Dialect dialect);
  }

  private static final List<Step> VERSIONS = List.of(
      statements(d -> List.of(
          "CREATE TABLE IF NOT EXISTS users ("
              + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
              + " name VARCHAR(64) NOT NULL,"
              + " password_hash VARCHAR(255) NOT NULL,"
              + " created_at BIGINT NOT NULL,"
              + " CONSTRAINT users_name UNIQUE (name))" + d.tableOptions,
          "CREATE TABLE IF NOT EXISTS friends ("
              + " user_id BIGINT NOT NULL,"
              + " friend_id BIGINT NOT NULL,"
              + " PRIMARY KEY (user_id, friend_id))" + d.tableOptions,
          "CREATE TABLE IF NOT EXISTS chat_groups ("
              + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
              + " name VARCHAR(64) NOT NULL,"
              + " description VARCHAR(255) NOT NULL,"
              + " created_at BIGINT NOT NULL)" + d.tableOptions,
          "CREATE TABLE IF NOT EXISTS group_members ("
              + " group_id BIGINT NOT NULL,"
              + " user_id BIGINT NOT NULL,"
              + " role VARCHAR(16) NOT NULL,"
              + " PRIMARY KEY (group_id, user_id))" + d.tableOptions,
          "CREATE INDEX group_members_user ON group_members (user_id)",
          "CREATE TABLE IF NOT EXISTS offline_messages ("
              + " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
              + " user_id BIGINT NOT NULL,"
              + " body " + d.longText + " NOT NULL,"
              + " created_at BIGINT NOT NULL,"
              // a message for a user id that does not exist is refused by the store itself
              + " CONSTRAINT offline_messages_user_fk FOREIGN KEY (user_id) REFERENCES users (id))"
              + d.tableOptions,
          "CREATE INDEX offline_messages_user ON offline_messages (user_id, id)",
          "CREATE TABLE IF NOT EXISTS session_tokens ("
              + " digest CHAR(64) NOT NULL PRIMARY KEY,"
              + " user_id BIGINT NOT NULL,"
              + " expires_at BIGINT NOT NULL)" + d.tableOptions,
          "CREATE INDEX session_tokens_user ON session_tokens (user_id)")),
      statements(d -> List.of(
          // keys shared by every node of the cluster, such as the one for token MACs
          "CREATE TABLE IF NOT EXISTS secrets ("
              + " name VARCHAR(64) NOT NULL PRIMARY KEY,"
              + " secret VARCHAR(255) NOT NULL)" + d.tableOptions)),
      // the service counts characters in code points, as utf8mb4 columns do, but H2 counts UTF-16
      // units, two per emoji: its text columns get room for two units per character, and message
      // bodies (a whole frame plus its envelope) as much room as H2 allows
      statements(d -> d != Dialect.H2 ? List.of() : List.of(
          "ALTER TABLE users MODIFY COLUMN name VARCHAR(128) NOT NULL",
          "ALTER TABLE chat_groups MODIFY COLUMN name VARCHAR(128) NOT NULL",
          "ALTER TABLE chat_groups MODIFY COLUMN description VARCHAR(510) NOT NULL",
          "ALTER TABLE offline_messages MODIFY COLUMN body VARCHAR(1000000000) NOT NULL")),
      // durable conversations: every message in its conversation's log, numbered per conversation
      // (the counter in conversations); cursors say how far each user's sessions were pushed and how
      // far they read; the offline queue becomes log entries still owed (OfflineToLog)
      (conn, d) -> run(conn, List.of(
          "CREATE TABLE IF NOT EXISTS conversations ("
              + " conv VARCHAR(48) NOT NULL PRIMARY KEY,"
              + " last_cseq BIGINT NOT NULL,"
              + " last_ts BIGINT NOT NULL,"
              + " user_a BIGINT NULL,"
              + " user_b BIGINT NULL,"
              + " group_id BIGINT NULL)" + d.tableOptions,
          "CREATE TABLE IF NOT EXISTS messages ("
              + " conv VARCHAR(48) NOT NULL,"
              + " cseq BIGINT NOT NULL,"
              + " mid BIGINT NOT NULL,"
              + " sender_id BIGINT NOT NULL,"
              + " cmid_key VARCHAR(520) NULL,"
              + " ts BIGINT NOT NULL,"
              + " body " + d.longText + " NOT NULL,"
              + " PRIMARY KEY (conv, cseq),"
              + " CONSTRAINT messages_cmid UNIQUE (sender_id, cmid_key))" + d.tableOptions,
          "CREATE TABLE IF NOT EXISTS cursors ("
              + " user_id BIGINT NOT NULL,"
              + " conv VARCHAR(48) NOT NULL,"
              + " delivered BIGINT NOT NULL,"
              + " read_cseq BIGINT NOT NULL,"
              + " PRIMARY KEY (user_id, conv))" + d.tableOptions))
          .compose(v -> OfflineToLog.run(conn)),
      // social changes: who joined a group when (the creator hands it to the longest member), how far
      // those who left may still read its log, and names looked up by prefix whatever their case
      statements(d -> List.of(
          "ALTER TABLE group_members ADD COLUMN joined_at BIGINT DEFAULT 0 NOT NULL",
          "CREATE TABLE IF NOT EXISTS past_members ("
              + " group_id BIGINT NOT NULL,"
              + " user_id BIGINT NOT NULL,"
              + " left_cseq BIGINT NOT NULL,"
              + " PRIMARY KEY (group_id, user_id))" + d.tableOptions,
          "ALTER TABLE users ADD COLUMN name_folded VARCHAR(256) NULL",
          "UPDATE users SET name_folded = LOWER(name)",
          "CREATE INDEX users_name_folded ON users (name_folded)")),
      // appends numbered by the node: a conversation's newest cseq is its newest entry's, so the
      // counter columns, which every append had to lock and raise, go
      statements(d -> List.of(
          "ALTER TABLE conversations DROP COLUMN last_cseq",
          "ALTER TABLE conversations DROP COLUMN last_ts")),
      // the owing mark: a user owed something (appended to since their last login settled it) has a
      // row, so a login reads what is owed only then; held_by is the login that took it, whose
      // session removes it once everything owed is written; those owed something now start marked
      statements(d -> List.of(
          "CREATE TABLE IF NOT EXISTS owing ("
              + " user_id BIGINT NOT NULL PRIMARY KEY,"
              + " held_by VARCHAR(96) NULL)" + d.tableOptions,
          "INSERT INTO owing (user_id) SELECT DISTINCT c.user_id FROM cursors c"
              + " WHERE EXISTS (SELECT 1 FROM messages m WHERE m.conv = c.conv AND m.cseq > c.delivered)")),
      // the message lifecycle: what each entry is (a message, a recalled one, an edit or recall
      // entry); the edit and recall entries again, few, with their targets, so that unread counts
      // skip them and a recall finds its target's edits; who blocks whom
      statements(d -> List.of(
          "ALTER TABLE messages ADD COLUMN kind SMALLINT DEFAULT 0 NOT NULL",
          "CREATE TABLE IF NOT EXISTS changes ("
              + " conv VARCHAR(48) NOT NULL,"
              + " cseq BIGINT NOT NULL,"
              + " target BIGINT NOT NULL,"
              + " PRIMARY KEY (conv, cseq))" + d.tableOptions,
          "CREATE INDEX changes_target ON changes (conv, target)",
          "CREATE TABLE IF NOT EXISTS blocks ("
              + " user_id BIGINT NOT NULL,"
              + " blocked_id BIGINT NOT NULL,"
              + " PRIMARY KEY (user_id, blocked_id))" + d.tableOptions,
          "CREATE INDEX blocks_blocked ON blocks (blocked_id)")),
      // where a member's place in a group starts: the group's newest cseq when they joined. Nothing at
      // or below it is theirs to be pushed, also to a session that started before the join
      statements(d -> List.of(
          "ALTER TABLE cursors ADD COLUMN joined_cseq BIGINT DEFAULT 0 NOT NULL")),
      // names unique regardless of case and of Unicode compatibility forms: the folded name
      // (NameFold) is every user's name_folded, looked up by prefix, and the unique name_key of the
      // oldest user of each folded name (FoldedNames); H2 counts UTF-16 units, two per character
      (conn, d) -> run(conn, List.of(
          "ALTER TABLE users ADD COLUMN name_key VARCHAR(" + foldedChars(d) + ") NULL",
          "ALTER TABLE users MODIFY COLUMN name_folded VARCHAR(" + foldedChars(d) + ") NULL"))
          .compose(v -> FoldedNames.run(conn)));

  private Migrations() {
  }

  /** Room for a folded name of {@link NameFold#MAX_CHARS} characters. */
  private static int foldedChars(Dialect dialect) {
    return dialect == Dialect.H2 ? 2 * NameFold.MAX_CHARS : NameFold.MAX_CHARS;
  }

  private static Step statements(Function<Dialect, List<String>> statements) {
    return (conn, dialect) -> run(conn, statements.apply(dialect));
  }

  private static Future<Void> run(SqlConnection conn, List<String> statements) {
    Future<Void> chain = Future.succeededFuture();
    for (String sql : statements) {
      chain = chain.compose(v -> conn.query(sql).execute().mapEmpty());
    }
    return chain;
  }

  /**
   * Brings the schema up to date on one connection and returns the version the database had
   * before (0: it was empty). On MySQL a named lock keeps nodes that start together from
   * migrating the same database twice.
   */
  static Future<Integer> migrate(Pool pool, Dialect dialect) {
    return migrate(pool, dialect, VERSIONS.size());
  }

  /** The same, up to version {@code upTo} only (a test builds an older schema this way). */
  static Future<Integer> migrate(Pool pool, Dialect dialect, int upTo) {
    boolean locking = dialect == Dialect.MYSQL;
    return pool.withConnection(conn -> (locking
        ? conn.query("SELECT GET_LOCK('chat_schema', 60)").execute().mapEmpty()
        : Future.<Void>succeededFuture())
        .compose(v -> migrateLocked(conn, dialect, upTo))
        .eventually(() -> locking
            ? conn.query("SELECT RELEASE_LOCK('chat_schema')").execute()
            : Future.succeededFuture()));
  }

  private static Future<Integer> migrateLocked(SqlConnection conn, Dialect dialect, int upTo) {
    return conn
        .query("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)" + dialect.tableOptions)
        .execute()
        .compose(v -> conn.query("SELECT MAX(version) FROM schema_version").execute())
        .compose(rows -> {
          Row row = rows.iterator().next();
          int current = row.getValue(0) == null ? 0 : row.getInteger(0);
          return applyFrom(conn, dialect, current, upTo).map(latest -> current);
        });
  }

  private static Future<Integer> applyFrom(SqlConnection conn, Dialect dialect, int current, int upTo) {
    if (current >= upTo) {
      return Future.succeededFuture(current);
    }
    int next = current + 1;
    return VERSIONS.get(current).apply(conn, dialect)
        .compose(v -> conn.preparedQuery("INSERT INTO schema_version (version) VALUES (?)").execute(Tuple.of(next)))
        .compose(v -> {
          LOG.info("schema migrated to version {}", next);
          return applyFrom(conn, dialect, next, upTo);
        });
  }
}
