package chat.store.sql;

import chat.protocol.Changes;
import chat.store.ConvId;
import chat.store.LogStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The logs in four tables: {@code messages} (the entries, keyed by conversation and cseq, each
 * sender's cmids unique, each with its kind), {@code conversations} (who a conversation is between,
 * or its group), {@code cursors} (per user and conversation) and {@code changes} (the few edit and
 * recall entries again, with their targets). A conversation's newest cseq is its newest entry's
 * (the primary key's last value in it, an index lookup), so an append of messages writes one table
 * in one statement, and the unique keys decide between two nodes numbering the same conversation.
 * An edit or recall rewrites its target's text in the same transaction as its entry: every read
 * (SYNC, what is owed, the conversations' newest messages) serves messages as they are now, with
 * no work of its own.
 */
final class SqlLog implements LogStore {
  /** Bytes of bodies per INSERT: a quarter of MariaDB's default max_allowed_packet (16 MiB). */
  static final int BATCH_BYTES = 4 * 1024 * 1024;
  private static final String ENTRY_COLUMNS = "conv, cseq, mid, sender_id, ts, body, kind";
  /** A message, recalled or not: not an edit or recall entry. */
  private static final String IS_MESSAGE = "kind < " + Kind.EDIT.code;
  /**
   * A cursor row {@code c} of conversation {@code v} counts if it is a pair's or the user is in the
   * group: a cursor move still on its way when the user left a group writes the row again.
   */
  private static final String MEMBER = "(v.group_id IS NULL OR EXISTS (SELECT 1 FROM group_members gm"
      + " WHERE gm.group_id = v.group_id AND gm.user_id = c.user_id))";
  private static final String CURSORS = " FROM cursors c JOIN conversations v ON v.conv = c.conv";
  /** The messages owed (parameters: user id, limit), oldest first. */
  private static final String OWED = "SELECT m.conv, m.cseq, m.mid, m.sender_id, m.ts, m.body, m.kind" + CURSORS
      + " JOIN messages m ON m.conv = c.conv AND m.cseq > c.delivered WHERE c.user_id = ? AND " + MEMBER
      + " ORDER BY m.ts, m.conv, m.cseq LIMIT ?";
  /** A conversation's newest cseq, 0 before its first message (parameter: conv). */
  static final String LAST = "SELECT COALESCE(MAX(cseq), 0) FROM messages WHERE conv = ?";

  private final GatedPool db;
  private final GatedPool appends;
  private final Dialect dialect;

  /** {@code appends}: the connections kept for appending (may be {@code db} itself). */
  SqlLog(GatedPool db, GatedPool appends, Dialect dialect) {
    this.db = db;
    this.appends = appends;
    this.dialect = dialect;
  }

  @Override
  public Future<Map<String, Long>> open(Collection<ConvId> convs) {
    List<ConvId> pairs = convs.stream().filter(c -> !c.isGroup()).toList();
    return appends.withConnection(conn -> {
      // sent together (pipelined on MySQL): a pair's row and cursors, then every conversation's newest cseq
      Future<?> started = pairs.isEmpty() ? Future.succeededFuture() : Future.all(
          conn.preparedQuery("INSERT IGNORE INTO conversations (conv, user_a, user_b) VALUES "
              + repeat("(?, ?, ?)", pairs.size())).execute(pairRows(pairs)),
          conn.preparedQuery("INSERT IGNORE INTO cursors (user_id, conv, delivered, read_cseq) VALUES "
              + repeat("(?, ?, 0, 0)", pairs.size() * 2)).execute(pairCursors(pairs)));
      Tuple keys = Tuple.tuple();
      convs.forEach(c -> keys.addString(c.key()));
      Future<RowSet<Row>> lasts = conn.preparedQuery("SELECT conv, MAX(cseq) FROM messages WHERE conv IN ("
          + repeat("?", convs.size()) + ") GROUP BY conv").execute(keys);
      return Future.all(started, lasts).map(done -> {
        Map<String, Long> last = new HashMap<>();
        convs.forEach(c -> last.put(c.key(), 0L));
        lasts.result().forEach(row -> last.put(row.getString(0), row.getLong(1)));
        return last;
      });
    });
  }

  private static Tuple pairRows(List<ConvId> pairs) {
    Tuple params = Tuple.tuple();
    pairs.forEach(c -> params.addString(c.key()).addLong(c.low()).addLong(c.high()));
    return params;
  }

  private static Tuple pairCursors(List<ConvId> pairs) {
    Tuple params = Tuple.tuple();
    pairs.forEach(c -> params.addLong(c.low()).addString(c.key()).addLong(c.high()).addString(c.key()));
    return params;
  }

  @Override
  public Future<Void> write(List<Numbered> entries) {
    List<Long> owed = owedTo(entries);
    // the marks after the entries: if the entries are refused, marks alone are harmless (one read more)
    List<GatedPool.Statement> statements = owed.isEmpty()
        ? List.of(new GatedPool.Statement(insert(entries.size()), rows(entries)))
        : List.of(new GatedPool.Statement(insert(entries.size()), rows(entries)), marks(owed));
    return appends.together(statements).recover(err -> Future.failedFuture(conflict(err)));
  }

  /** Every recipient of the entries once, in key order (the order their mark rows are locked in). */
  private static List<Long> owedTo(List<Numbered> entries) {
    TreeSet<Long> owed = new TreeSet<>();
    entries.forEach(n -> owed.addAll(n.recipients()));
    return List.copyOf(owed);
  }

  private GatedPool.Statement marks(List<Long> users) {
    Tuple params = Tuple.tuple();
    users.forEach(params::addLong);
    return new GatedPool.Statement(dialect.markOwing(repeat("(?, NULL)", users.size())), params);
  }

  @Override
  public Future<Void> settle(long userId, String holder) {
    return db.execute("DELETE FROM owing WHERE user_id = ? AND held_by = ?", Tuple.of(userId, holder)).mapEmpty();
  }

  @Override
  public Future<List<Numbered>> writeLocked(Collection<ConvId> convs, Collection<Cmid> cmids, Numbering numbering) {
    // in key order, as every locking writer takes them, so that two wait for each other rather than deadlock
    Tuple keys = Tuple.tuple();
    convs.stream().map(ConvId::key).sorted().forEach(keys::addString);
    String in = repeat("?", keys.size());
    return appends.inTransaction(conn -> conn.preparedQuery("SELECT conv FROM conversations WHERE conv IN (" + in
            + ") ORDER BY conv FOR UPDATE").execute(keys)
        .compose(locked -> conn.preparedQuery(dialect.lockedLasts(in)).execute(keys))
        .compose(rows -> {
          Map<String, Long> lasts = new HashMap<>();
          convs.forEach(c -> lasts.put(c.key(), 0L));
          rows.forEach(row -> lasts.put(row.getString(0), row.getLong(1)));
          return byCmid(conn, cmids).map(earlier -> numbering.number(lasts, earlier));
        })
        .compose(entries -> entries.isEmpty() ? Future.succeededFuture(entries) : insertAll(conn, entries)))
        .recover(err -> Future.failedFuture(conflict(err)));
  }

  /**
   * Inserts the entries and marks their recipients owing, and writes the changes of those that
   * change others: in a transaction under the conversations' locks, where no other change of these
   * conversations runs meanwhile. Answers the entries as written.
   */
  private Future<List<Numbered>> insertAll(SqlConnection conn, List<Numbered> entries) {
    Future<?> inserted = conn.preparedQuery(insert(entries.size())).execute(rows(entries)).compose(v -> {
      GatedPool.Statement marks = marks(owedTo(entries));
      return marks.params().size() == 0 ? Future.succeededFuture()
          : conn.preparedQuery(marks.sql()).execute(marks.params());
    });
    List<Numbered> changes = entries.stream().filter(n -> n.change() != null).toList();
    if (changes.isEmpty()) {
      return inserted.map(entries);
    }
    Tuple params = Tuple.tuple();
    changes.forEach(n -> params.addString(n.entry().conv()).addLong(n.entry().cseq()).addLong(n.change().target()));
    Future<Map<String, String>> rewritten = inserted
        .compose(v -> conn.preparedQuery("INSERT INTO changes (conv, cseq, target) VALUES "
            + repeat("(?, ?, ?)", changes.size())).execute(params))
        .map(v -> new HashMap<>());
    // in cseq order: a recall in the batch takes the text of an edit before it too
    for (Numbered change : changes) {
      rewritten = rewritten.compose(bodies -> apply(conn, change, bodies).map(bodies));
    }
    return rewritten.map(bodies -> entries.stream().map(n -> {
      String body = bodies.get(key(n.entry().conv(), n.entry().cseq()));
      Entry e = n.entry();
      return body == null ? n
          : new Numbered(new Entry(e.conv(), e.cseq(), e.mid(), e.senderId(), e.ts(), body, e.kind()), n.cmid(),
              n.recipients(), n.change());
    }).toList());
  }

  /**
   * What an edit or recall entry does to its target, noting in {@code rewritten} the entries whose
   * text went (by {@link #key}). An edit whose target was recalled meanwhile (on another node,
   * between the check and this) keeps no text either: recalled is final.
   */
  private Future<Void> apply(SqlConnection conn, Numbered numbered, Map<String, String> rewritten) {
    Entry entry = numbered.entry();
    Change change = numbered.change();
    return conn.preparedQuery("SELECT kind, body FROM messages WHERE conv = ? AND cseq = ?")
        .execute(Tuple.of(entry.conv(), change.target()))
        .compose(rows -> {
          Row target = Rows.first(rows).orElse(null);
          // the service checked that the target is a message; a kind never turns back into one
          if (target == null || Kind.of(target.getInteger(0)).isChange()) {
            return Future.succeededFuture();
          }
          boolean recalled = Kind.of(target.getInteger(0)) == Kind.RECALLED;
          if (change.kind() == Kind.EDIT) {
            if (recalled) {
              return dropText(conn, entry.conv(), entry.cseq(), entry.body(), rewritten);
            }
            return rewrite(conn, entry.conv(), change.target(), Changes.edited(target.getString(1), change.text(),
                entry.ts()), Kind.MESSAGE);
          }
          if (recalled) {
            return Future.succeededFuture();
          }
          return rewrite(conn, entry.conv(), change.target(), Changes.recalled(target.getString(1)), Kind.RECALLED)
              .compose(v -> conn.preparedQuery("SELECT m.cseq, m.body FROM changes ch"
                      + " JOIN messages m ON m.conv = ch.conv AND m.cseq = ch.cseq"
                      + " WHERE ch.conv = ? AND ch.target = ? AND m.kind = " + Kind.EDIT.code)
                  .execute(Tuple.of(entry.conv(), change.target())))
              .compose(edits -> {
                Future<Void> all = Future.succeededFuture();
                for (Row edit : edits) {
                  long cseq = edit.getLong(0);
                  String body = edit.getString(1);
                  all = all.compose(v -> dropText(conn, entry.conv(), cseq, body, rewritten));
                }
                return all;
              });
        });
  }

  private static Future<Void> dropText(SqlConnection conn, String conv, long cseq, String body,
                                       Map<String, String> rewritten) {
    String without = Changes.withoutText(body);
    rewritten.put(key(conv, cseq), without);
    return rewrite(conn, conv, cseq, without, Kind.EDIT);
  }

  private static Future<Void> rewrite(SqlConnection conn, String conv, long cseq, String body, Kind kind) {
    return conn.preparedQuery("UPDATE messages SET body = ?, kind = ? WHERE conv = ? AND cseq = ?")
        .execute(Tuple.of(body, kind.code, conv, cseq)).mapEmpty();
  }

  private static String key(String conv, long cseq) {
    return conv + " " + cseq;
  }

  @Override
  public Future<Map<Cmid, Entry>> byCmid(Collection<Cmid> cmids) {
    return appends.withConnection(conn -> byCmid(conn, cmids));
  }

  private Future<Map<Cmid, Entry>> byCmid(SqlConnection conn, Collection<Cmid> cmids) {
    if (cmids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Map<String, Cmid> byKey = new HashMap<>();
    Tuple params = Tuple.tuple();
    for (Cmid c : cmids) {
      String key = cmidKey(c.cmid());
      byKey.put(c.senderId() + " " + key, c);
      params.addLong(c.senderId()).addString(key);
    }
    return conn.preparedQuery("SELECT " + ENTRY_COLUMNS + ", cmid_key FROM messages WHERE "
        + String.join(" OR ", Collections.nCopies(cmids.size(), "(sender_id = ? AND cmid_key = ?)"))).execute(params)
        .map(rows -> {
          Map<Cmid, Entry> found = new HashMap<>();
          for (Row row : rows) {
            found.put(byKey.get(row.getLong(3) + " " + row.getString(7)), entry(row));
          }
          return found;
        });
  }

  private Throwable conflict(Throwable err) {
    return dialect.isDuplicateKey(err) || dialect.isDeadlock(err) ? new Conflict(err) : err;
  }

  private static String insert(int rows) {
    return "INSERT INTO messages (conv, cseq, mid, sender_id, cmid_key, ts, body, kind) VALUES "
        + repeat("(?, ?, ?, ?, ?, ?, ?, ?)", rows);
  }

  /** The rows in key order, the order every writer takes their locks in. */
  private static Tuple rows(List<Numbered> entries) {
    List<Numbered> ordered = new ArrayList<>(entries);
    ordered.sort(Comparator.comparing((Numbered n) -> n.entry().conv()).thenComparingLong(n -> n.entry().cseq()));
    Tuple params = Tuple.tuple();
    for (Numbered n : ordered) {
      Entry e = n.entry();
      params.addString(e.conv()).addLong(e.cseq()).addLong(e.mid()).addLong(e.senderId()).addString(cmidKey(n.cmid()))
          .addLong(e.ts()).addString(e.body()).addInteger(e.kind().code);
    }
    return params;
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
    return db.execute(LAST, Tuple.of(conv)).map(rows -> rows.iterator().next().getLong(0));
  }

  @Override
  public Future<Place> place(long userId, String conv) {
    return db.execute("SELECT delivered, joined_cseq FROM cursors WHERE user_id = ? AND conv = ?", Tuple.of(userId, conv))
        .map(rows -> Rows.first(rows).map(r -> new Place(r.getLong(0), r.getLong(1))).orElse(Place.NONE));
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
        + repeat("?", userIds.size()) + ")", params).map(rows -> rows.iterator().next().getInteger(0));
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
    return db.execute(dialect.advanceCursors(repeat("(?, ?, ?, ?)", ordered.size())), params).mapEmpty();
  }

  @Override
  public Future<List<Entry>> owed(long userId, int limit) {
    return db.execute(OWED, Tuple.of(userId, limit)).map(rows -> Rows.map(rows, SqlLog::entry));
  }

  @Override
  public Future<List<Summary>> conversations(long userId, int limit) {
    // a conversation's newest entry is its primary key's last in it, its newest message the first
    // from there back that is not a change (few are): one or two lookups each; the changes past the
    // read cursor are counted in their own small table
    return db.execute("SELECT v.conv, (SELECT COALESCE(MAX(x.cseq), 0) FROM messages x WHERE x.conv = v.conv),"
            + " c.read_cseq, COALESCE(g.name, u.name),"
            + " m.conv, m.cseq, m.mid, m.sender_id, m.ts, m.body, m.kind, p.read_cseq,"
            + " (SELECT COUNT(*) FROM changes ch WHERE ch.conv = v.conv AND ch.cseq > c.read_cseq)" + CURSORS
            + " LEFT JOIN chat_groups g ON g.id = v.group_id"
            + " LEFT JOIN users u ON u.id = (CASE WHEN v.user_a = ? THEN v.user_b ELSE v.user_a END)"
            + " LEFT JOIN messages m ON m.conv = v.conv AND m.cseq = (SELECT x.cseq FROM messages x"
            + " WHERE x.conv = v.conv AND x." + IS_MESSAGE + " ORDER BY x.conv DESC, x.cseq DESC LIMIT 1)"
            + " LEFT JOIN cursors p ON p.conv = v.conv AND p.user_id = u.id"
            // a pair's conversation is there once it has a message (a group's from its start)
            + " WHERE c.user_id = ? AND " + MEMBER + " AND (v.group_id IS NOT NULL OR m.cseq IS NOT NULL)"
            + " ORDER BY COALESCE(m.ts, g.created_at) DESC, v.conv LIMIT ?",
            Tuple.of(userId, userId, limit))
        .map(rows -> Rows.map(rows, row -> {
          long last = row.getLong(1);
          long read = row.getLong(2);
          Entry newest = row.getValue(5) == null ? null : new Entry(row.getString(4), row.getLong(5), row.getLong(6),
              row.getLong(7), row.getLong(8), row.getString(9), Kind.of(row.getInteger(10)));
          return new Summary(ConvId.parse(row.getString(0)), last, read, Math.max(0, last - read - row.getLong(12)),
              newest, row.getString(3), row.getLong(11));
        }));
  }

  static Entry entry(Row row) {
    return new Entry(row.getString(0), row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4),
        row.getString(5), Kind.of(row.getInteger(6)));
  }

  /**
   * The cmid as stored: the hex of its UTF-8 bytes, so the unique key compares it exactly on every
   * database (MariaDB's collations would take "a" and "a " for one).
   */
  private static String cmidKey(String cmid) {
    return cmid == null ? null : HexFormat.of().formatHex(cmid.getBytes(StandardCharsets.UTF_8));
  }

  private static String repeat(String group, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append(group);
    }
    return sb.toString();
  }
}
