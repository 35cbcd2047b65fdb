package chat.store.sql;

import chat.store.ConvId;
import chat.store.LogStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The logs in three tables: {@code conversations} (each one's newest cseq, the counter that hands
 * out numbers under its row lock), {@code messages} (the entries, keyed by conversation and cseq)
 * and {@code cursors} (per user and conversation). A batch takes each conversation's row lock in
 * key order, so batches of several nodes never deadlock, and gets consecutive numbers per
 * conversation in one transaction: commit order is cseq order, with no gaps.
 */
final class SqlLog implements LogStore {
  /** Bytes of bodies per INSERT: a quarter of MariaDB's default max_allowed_packet (16 MiB). */
  private static final int BATCH_BYTES = 4 * 1024 * 1024;
  private static final String ENTRY_COLUMNS = "conv, cseq, mid, sender_id, ts, body";
  /**
   * A cursor row {@code c} of conversation {@code v} counts if it is a pair's or the user is in the
   * group: a cursor move still on its way when the user left a group writes the row again.
   */
  private static final String MEMBER = "(v.group_id IS NULL OR EXISTS (SELECT 1 FROM group_members gm"
      + " WHERE gm.group_id = v.group_id AND gm.user_id = c.user_id))";
  /**
   * The user's cursors ({@code c}) in conversations ({@code v}) whose newest message no session of
   * theirs was pushed yet (parameter: user id): of groups, only those the user is a member of. The
   * login card reads this part too.
   */
  private static final String OWING_JOIN = " FROM cursors c"
      + " JOIN conversations v ON v.conv = c.conv AND v.last_cseq > c.delivered";
  private static final String OWING_WHERE = " WHERE c.user_id = ? AND " + MEMBER;
  static final String OWING_FROM = OWING_JOIN + OWING_WHERE;
  /** The messages owed (parameters: user id, limit), oldest first. */
  private static final String OWED = "SELECT m.conv, m.cseq, m.mid, m.sender_id, m.ts, m.body" + OWING_JOIN
      + " JOIN messages m ON m.conv = c.conv AND m.cseq > c.delivered" + OWING_WHERE
      + " ORDER BY m.ts, m.conv, m.cseq LIMIT ?";

  private final GatedPool db;
  private final GatedPool appends;
  private final Dialect dialect;

  /** {@code appends}: the connections kept for {@link #append} (may be {@code db} itself). */
  SqlLog(GatedPool db, GatedPool appends, Dialect dialect) {
    this.db = db;
    this.appends = appends;
    this.dialect = dialect;
  }

  @Override
  public Future<List<Appended>> append(List<Append> batch) {
    // a resend racing with its first copy on another node hits the unique key: once more, it is found
    return appends.inTransaction(conn -> appendIn(conn, batch))
        .recover(err -> dialect.isDuplicateKey(err)
            ? appends.inTransaction(conn -> appendIn(conn, batch))
            : Future.failedFuture(err));
  }

  private Future<List<Appended>> appendIn(SqlConnection conn, List<Append> batch) {
    return earlier(conn, batch).compose(earlier -> {
      Appended[] results = new Appended[batch.size()];
      // what is new, by conversation in key order (the order row locks are taken in)
      Map<String, List<Integer>> fresh = new TreeMap<>();
      Map<String, Integer> firstOfCmid = new HashMap<>();
      for (int i = 0; i < batch.size(); i++) {
        Append a = batch.get(i);
        String cmidKey = cmidKey(a);
        Entry before = cmidKey == null ? null : earlier.get(a.senderId() + " " + cmidKey);
        if (before != null) {
          results[i] = new Appended(before, true);
        } else if (cmidKey != null && firstOfCmid.putIfAbsent(a.senderId() + " " + cmidKey, i) != null) {
          results[i] = null; // a resend inside the same batch: answered with the first below
        } else {
          fresh.computeIfAbsent(a.conv().key(), k -> new ArrayList<>()).add(i);
        }
      }
      if (fresh.isEmpty()) {
        return Future.succeededFuture(complete(batch, results, firstOfCmid));
      }
      return count(conn, batch, fresh)
          .compose(lasts -> startPairs(conn, batch, fresh, lasts)
              .compose(v -> insert(conn, batch, fresh, lasts, results)))
          .map(v -> complete(batch, results, firstOfCmid));
    });
  }

  /** Entries appended before, by "sender cmidKey", for the batch's messages that carry a cmid. */
  private Future<Map<String, Entry>> earlier(SqlConnection conn, List<Append> batch) {
    StringBuilder sql = new StringBuilder("SELECT ").append(ENTRY_COLUMNS).append(", cmid_key FROM messages WHERE ");
    Tuple params = Tuple.tuple();
    for (Append a : batch) {
      String key = cmidKey(a);
      if (key != null) {
        sql.append(params.size() == 0 ? "" : " OR ").append("(sender_id = ? AND cmid_key = ?)");
        params.addLong(a.senderId()).addString(key);
      }
    }
    if (params.size() == 0) {
      return Future.succeededFuture(Map.of());
    }
    return conn.preparedQuery(sql.toString()).execute(params).map(rows -> {
      Map<String, Entry> found = new HashMap<>();
      for (Row row : rows) {
        found.put(row.getLong(3) + " " + row.getString(6), entry(row));
      }
      return found;
    });
  }

  /** Raises each conversation's counter by its count of new messages; returns the new counters. */
  private Future<Map<String, Long>> count(SqlConnection conn, List<Append> batch, Map<String, List<Integer>> fresh) {
    StringBuilder upsert = new StringBuilder(
        "INSERT INTO conversations (conv, last_cseq, last_ts, user_a, user_b, group_id) VALUES ");
    Tuple params = Tuple.tuple();
    for (Map.Entry<String, List<Integer>> e : fresh.entrySet()) {
      List<Integer> items = e.getValue();
      Append newest = batch.get(items.get(items.size() - 1));
      ConvId conv = newest.conv();
      upsert.append(params.size() == 0 ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)");
      params.addString(conv.key()).addLong((long) items.size()).addLong(newest.ts())
          .addValue(conv.isGroup() ? null : conv.low()).addValue(conv.isGroup() ? null : conv.high())
          .addValue(conv.isGroup() ? conv.group() : null);
    }
    upsert.append(" ON DUPLICATE KEY UPDATE last_cseq = last_cseq + VALUES(last_cseq), last_ts = VALUES(last_ts)");
    return conn.preparedQuery(upsert.toString()).execute(params)
        .compose(v -> conn.preparedQuery("SELECT conv, last_cseq FROM conversations WHERE conv IN ("
                + placeholders(fresh.size()) + ")")
            .execute(Tuple.wrap(new ArrayList<Object>(fresh.keySet()))))
        .map(rows -> {
          Map<String, Long> lasts = new HashMap<>();
          rows.forEach(row -> lasts.put(row.getString(0), row.getLong(1)));
          return lasts;
        });
  }

  /** A one-to-one conversation's first messages: both users get cursors (all of it owed to them). */
  private Future<Void> startPairs(SqlConnection conn, List<Append> batch, Map<String, List<Integer>> fresh,
                                  Map<String, Long> lasts) {
    StringBuilder sql = new StringBuilder("INSERT IGNORE INTO cursors (user_id, conv, delivered, read_cseq) VALUES ");
    Tuple params = Tuple.tuple();
    for (Map.Entry<String, List<Integer>> e : fresh.entrySet()) {
      ConvId conv = batch.get(e.getValue().get(0)).conv();
      if (!conv.isGroup() && lasts.get(conv.key()) == e.getValue().size()) {
        for (long user : new long[] {conv.low(), conv.high()}) {
          sql.append(params.size() == 0 ? "(?, ?, 0, 0)" : ", (?, ?, 0, 0)");
          params.addLong(user).addString(conv.key());
        }
      }
    }
    return params.size() == 0 ? Future.succeededFuture() : conn.preparedQuery(sql.toString()).execute(params).mapEmpty();
  }

  private Future<Void> insert(SqlConnection conn, List<Append> batch, Map<String, List<Integer>> fresh,
                              Map<String, Long> lasts, Appended[] results) {
    List<Object[]> rows = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : fresh.entrySet()) {
      List<Integer> items = e.getValue();
      long cseq = lasts.get(e.getKey()) - items.size();
      for (int i : items) {
        Append a = batch.get(i);
        Entry entry = new Entry(a.conv().key(), ++cseq, a.mid(), a.senderId(), a.ts(), a.body().apply(cseq));
        results[i] = new Appended(entry, false);
        rows.add(new Object[] {entry.conv(), entry.cseq(), entry.mid(), entry.senderId(), cmidKey(a), entry.ts(),
            entry.body()});
      }
    }
    // several statements when the bodies are large, each within MariaDB's max_allowed_packet
    Future<Void> chain = Future.succeededFuture();
    int from = 0;
    while (from < rows.size()) {
      int to = from;
      long bytes = 0;
      while (to < rows.size() && (to == from || bytes + size(rows.get(to)) <= BATCH_BYTES)) {
        bytes += size(rows.get(to++));
      }
      List<Object[]> chunk = rows.subList(from, to);
      chain = chain.compose(v -> conn.preparedQuery("INSERT INTO messages (conv, cseq, mid, sender_id, cmid_key, ts,"
          + " body) VALUES " + repeat("(?, ?, ?, ?, ?, ?, ?)", chunk.size())).execute(flatten(chunk)).mapEmpty());
      from = to;
    }
    return chain;
  }

  /** Fills in the resends inside the batch with their first copy's result. */
  private static List<Appended> complete(List<Append> batch, Appended[] results, Map<String, Integer> firstOfCmid) {
    for (int i = 0; i < results.length; i++) {
      if (results[i] == null) {
        Append a = batch.get(i);
        Appended first = results[firstOfCmid.get(a.senderId() + " " + cmidKey(a))];
        results[i] = new Appended(first.entry(), true);
      }
    }
    return List.of(results);
  }

  @Override
  public Future<List<Entry>> after(String conv, long cseq, int limit) {
    // ordered by the whole key (conv, cseq), not cseq alone: H2 then stops at the LIMIT instead of
    // reading the conversation's rows to sort them (MariaDB does either way)
    return db.execute("SELECT " + ENTRY_COLUMNS + " FROM messages WHERE conv = ? AND cseq > ? ORDER BY conv, cseq LIMIT ?",
        Tuple.of(conv, cseq, limit)).map(rows -> Rows.map(rows, SqlLog::entry));
  }

  @Override
  public Future<List<Entry>> before(String conv, long cseq, int limit) {
    return db.execute("SELECT " + ENTRY_COLUMNS + " FROM messages WHERE conv = ? AND cseq < ?"
            + " ORDER BY conv DESC, cseq DESC LIMIT ?", Tuple.of(conv, cseq, limit))
        .map(rows -> {
          List<Entry> newestFirst = Rows.map(rows, SqlLog::entry);
          List<Entry> ascending = new ArrayList<>(newestFirst.size());
          for (int i = newestFirst.size() - 1; i >= 0; i--) {
            ascending.add(newestFirst.get(i));
          }
          return ascending;
        });
  }

  @Override
  public Future<Long> last(String conv) {
    return db.execute("SELECT last_cseq FROM conversations WHERE conv = ?", Tuple.of(conv))
        .map(rows -> Rows.first(rows).map(r -> r.getLong(0)).orElse(0L));
  }

  @Override
  public Future<Long> delivered(long userId, String conv) {
    return db.execute("SELECT delivered FROM cursors WHERE user_id = ? AND conv = ?", Tuple.of(userId, conv))
        .map(rows -> Rows.first(rows).map(r -> r.getLong(0)).orElse(-1L));
  }

  @Override
  public Future<Long> lastBefore(String conv, long ts) {
    // read from the newest back: the entries after ts are few, the scan stops at the first before it
    return db.execute("SELECT cseq FROM messages WHERE conv = ? AND ts < ? ORDER BY conv DESC, cseq DESC LIMIT 1",
            Tuple.of(conv, ts))
        .map(rows -> Rows.first(rows).map(r -> r.getLong(0)).orElse(0L));
  }

  @Override
  public Future<Long> read(long userId, String conv, long cseq) {
    return advance(List.of(new Cursor(userId, conv, 0, cseq)))
        .compose(v -> db.execute("SELECT read_cseq FROM cursors WHERE user_id = ? AND conv = ?", Tuple.of(userId, conv)))
        .map(rows -> Rows.first(rows).map(r -> r.getLong(0)).orElse(cseq));
  }

  @Override
  public Future<Integer> reached(List<Long> userIds, String conv, long cseq) {
    if (userIds.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Tuple params = Tuple.of(conv, cseq);
    userIds.forEach(params::addLong);
    return db.execute("SELECT COUNT(*) FROM cursors WHERE conv = ? AND delivered >= ? AND user_id IN ("
        + placeholders(userIds.size()) + ")", params).map(rows -> rows.iterator().next().getInteger(0));
  }

  @Override
  public Future<Void> advance(List<Cursor> cursors) {
    if (cursors.isEmpty()) {
      return Future.succeededFuture();
    }
    // in key order, as every writer of these rows takes them, so that two never deadlock
    List<Cursor> ordered = new ArrayList<>(cursors);
    ordered.sort((a, b) -> a.userId() != b.userId() ? Long.compare(a.userId(), b.userId())
        : a.conv().compareTo(b.conv()));
    Tuple params = Tuple.tuple();
    for (Cursor c : ordered) {
      params.addLong(c.userId()).addString(c.conv()).addLong(c.delivered()).addLong(c.read());
    }
    return db.execute("INSERT INTO cursors (user_id, conv, delivered, read_cseq) VALUES "
        + repeat("(?, ?, ?, ?)", ordered.size())
        + " ON DUPLICATE KEY UPDATE delivered = GREATEST(delivered, VALUES(delivered)),"
        + " read_cseq = GREATEST(read_cseq, VALUES(read_cseq))", params).mapEmpty();
  }

  @Override
  public Future<List<Entry>> owed(long userId, int limit) {
    return db.execute(OWED, Tuple.of(userId, limit)).map(rows -> Rows.map(rows, SqlLog::entry));
  }

  @Override
  public Future<List<Summary>> conversations(long userId, int limit) {
    return db.execute("SELECT v.conv, v.last_cseq, c.read_cseq, COALESCE(g.name, u.name),"
            + " m.conv, m.cseq, m.mid, m.sender_id, m.ts, m.body, p.read_cseq FROM cursors c"
            + " JOIN conversations v ON v.conv = c.conv"
            + " LEFT JOIN chat_groups g ON g.id = v.group_id"
            + " LEFT JOIN users u ON u.id = (CASE WHEN v.user_a = ? THEN v.user_b ELSE v.user_a END)"
            + " LEFT JOIN messages m ON m.conv = v.conv AND m.cseq = v.last_cseq"
            + " LEFT JOIN cursors p ON p.conv = v.conv AND p.user_id = u.id"
            + " WHERE c.user_id = ? AND " + MEMBER + " ORDER BY v.last_ts DESC, v.conv LIMIT ?",
            Tuple.of(userId, userId, limit))
        .map(rows -> Rows.map(rows, row -> new Summary(ConvId.parse(row.getString(0)), row.getLong(1), row.getLong(2),
            row.getValue(5) == null ? null : new Entry(row.getString(4), row.getLong(5), row.getLong(6),
                row.getLong(7), row.getLong(8), row.getString(9)),
            row.getString(3), row.getLong(10))));
  }

  static Entry entry(Row row) {
    return new Entry(row.getString(0), row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4),
        row.getString(5));
  }

  /**
   * The cmid as stored: the hex of its UTF-8 bytes, so the unique key compares it exactly on every
   * database (MariaDB's collations would take "a" and "a " for one).
   */
  private static String cmidKey(Append a) {
    return a.cmid() == null ? null : HexFormat.of().formatHex(a.cmid().getBytes(StandardCharsets.UTF_8));
  }

  private static long size(Object[] row) {
    return ((String) row[6]).length() * 3L + 64;
  }

  private static Tuple flatten(List<Object[]> rows) {
    Tuple params = Tuple.tuple();
    for (Object[] row : rows) {
      for (Object value : row) {
        params.addValue(value);
      }
    }
    return params;
  }

  private static String placeholders(int n) {
    return repeat("?", n);
  }

  private static String repeat(String group, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append(group);
    }
    return sb.toString();
  }
}
