package chat.store.sql;

import chat.protocol.Messages;
import chat.store.ConvId;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Schema version 4's data step: the offline queue becomes the conversations' logs. Every stored
 * message becomes a log entry (a group message stored for several members, one entry), in the
 * order it was stored, and stays owed to the users it was stored for: their cursors stop just
 * before their first one. Everyone else's cursors start at the end. Repeatable: a step cut short
 * starts again from empty logs, and the queue is dropped only at the end.
 */
final class OfflineToLog {
  private static final Logger LOG = LoggerFactory.getLogger(OfflineToLog.class);
  private static final int PAGE = 1000;

  /** A conversation being rebuilt: its counter, and per user the cseq before their first owed entry. */
  private static final class Rebuilt {
    final ConvId conv;
    long last;
    long lastTs;
    final Map<Long, Long> mids = new HashMap<>();
    final Map<Long, Long> owedFrom = new HashMap<>();

    Rebuilt(ConvId conv) {
      this.conv = conv;
    }
  }

  private final SqlConnection conn;
  private final Map<String, Rebuilt> convs = new LinkedHashMap<>();
  private long moved;

  private OfflineToLog(SqlConnection conn) {
    this.conn = conn;
  }

  static Future<Void> run(SqlConnection conn) {
    return new OfflineToLog(conn).start();
  }

  private Future<Void> start() {
    return sql("DELETE FROM messages")
        .compose(v -> sql("DELETE FROM cursors"))
        .compose(v -> sql("DELETE FROM conversations"))
        .compose(v -> sql("INSERT INTO conversations (conv, last_cseq, last_ts, group_id)"
            + " SELECT CONCAT('g:', id), 0, created_at, id FROM chat_groups"))
        .compose(v -> sql("INSERT INTO cursors (user_id, conv, delivered, read_cseq)"
            + " SELECT user_id, CONCAT('g:', group_id), 0, 0 FROM group_members"))
        .compose(v -> movePage(0))
        .compose(v -> conversationsAndCursors())
        .compose(v -> sql("DROP TABLE offline_messages"))
        .onSuccess(v -> LOG.info("moved {} stored offline messages into {} conversation logs", moved, convs.size()));
  }

  private Future<Void> movePage(long afterId) {
    return conn.preparedQuery("SELECT id, user_id, body, created_at FROM offline_messages WHERE id > ? ORDER BY id LIMIT ?")
        .execute(Tuple.of(afterId, PAGE))
        .compose(rows -> {
          List<Tuple> inserts = new ArrayList<>();
          long lastId = afterId;
          for (Row row : rows) {
            lastId = row.getLong(0);
            Tuple entry = move(row.getLong(1), Messages.parseObject(row.getString(2)), row.getLong(3));
            if (entry != null) {
              inserts.add(entry);
            }
          }
          Future<Void> written = Future.succeededFuture();
          for (Tuple entry : inserts) {
            written = written.compose(v -> conn.preparedQuery("INSERT INTO messages (conv, cseq, mid, sender_id,"
                + " cmid_key, ts, body) VALUES (?, ?, ?, ?, NULL, ?, ?)").execute(entry).mapEmpty());
          }
          long next = lastId;
          return rows.size() < PAGE ? written : written.compose(v -> movePage(next));
        });
  }

  /** The entry of one stored message for {@code owner}, or null when it is another copy of one moved already. */
  private Tuple move(long owner, ObjectNode body, long storedAt) {
    long sender = body.path("id").asLong();
    ConvId conv = body.has("groupid") ? ConvId.ofGroup(body.path("groupid").asLong()) : ConvId.ofUsers(sender, owner);
    Rebuilt rebuilt = convs.computeIfAbsent(conv.key(), k -> new Rebuilt(conv));
    long mid = body.has("mid") ? body.path("mid").asLong() : ThreadLocalRandom.current().nextLong(1, 1L << 53);
    Long cseq = rebuilt.mids.get(mid);
    boolean fresh = cseq == null;
    if (fresh) {
      cseq = ++rebuilt.last;
      rebuilt.mids.put(mid, cseq);
      rebuilt.lastTs = storedAt;
    }
    rebuilt.owedFrom.putIfAbsent(owner, cseq - 1);
    if (!fresh) {
      return null;
    }
    moved++;
    body.put("mid", mid).put("conv", conv.key()).put("cseq", cseq).put("ts", storedAt);
    return Tuple.of(conv.key(), cseq, mid, sender, storedAt, Messages.text(body));
  }

  /**
   * Each rebuilt conversation's counter, and its users' cursors: at the end, but just before the
   * first entry stored for those who had some.
   */
  private Future<Void> conversationsAndCursors() {
    Future<Void> chain = Future.succeededFuture();
    for (Rebuilt r : convs.values()) {
      ConvId conv = r.conv;
      if (conv.isGroup()) {
        chain = chain.compose(v -> conn.preparedQuery("UPDATE conversations SET last_cseq = ?, last_ts = ? WHERE conv = ?")
                .execute(Tuple.of(r.last, r.lastTs, conv.key())))
            .compose(v -> conn.preparedQuery("UPDATE cursors SET delivered = ?, read_cseq = ? WHERE conv = ?")
                .execute(Tuple.of(r.last, r.last, conv.key())))
            .mapEmpty();
      } else {
        chain = chain.compose(v -> conn.preparedQuery("INSERT INTO conversations (conv, last_cseq, last_ts, user_a,"
                + " user_b) VALUES (?, ?, ?, ?, ?)").execute(Tuple.of(conv.key(), r.last, r.lastTs, conv.low(),
                conv.high())))
            .compose(v -> conn.preparedQuery("INSERT INTO cursors (user_id, conv, delivered, read_cseq)"
                + " VALUES (?, ?, ?, ?), (?, ?, ?, ?)").execute(Tuple.of(conv.low(), conv.key(), r.last, r.last,
                conv.high(), conv.key(), r.last, r.last)))
            .mapEmpty();
      }
      for (Map.Entry<Long, Long> owed : r.owedFrom.entrySet()) {
        chain = chain.compose(v -> conn.preparedQuery("UPDATE cursors SET delivered = ?, read_cseq = ?"
                + " WHERE user_id = ? AND conv = ?")
            .execute(Tuple.of(owed.getValue(), owed.getValue(), owed.getKey(), conv.key())).mapEmpty());
      }
    }
    return chain;
  }

  private Future<Void> sql(String statement) {
    return conn.query(statement).execute().mapEmpty();
  }
}
