package chat.testing;

import chat.log.Appender;
import chat.store.ConvId;
import chat.store.LogStore;
import chat.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static chat.testing.TestNode.await;

/** Messages appended to a store's logs the way a node appends them, for tests of the store and the log. */
public final class Appends {
  private Appends() {
  }

  /** Appends the messages at once (they may share batches) through a fresh appender; answers in order. */
  public static List<LogStore.Appended> all(Vertx vertx, Store store, LogStore.Append... messages) {
    Appender appender = new Appender(store.log(), vertx.getOrCreateContext(), 2);
    List<Future<LogStore.Appended>> each = new ArrayList<>();
    for (LogStore.Append m : messages) {
      each.add(appender.append(m));
    }
    await(Future.all(each));
    return each.stream().map(Future::result).toList();
  }

  /**
   * A message as the chat service builds one: its JSON text takes its number when appended; the
   * other user of a pair is owed it (a group's members are not named here).
   */
  public static LogStore.Append message(ConvId conv, long sender, String cmid, String text) {
    long mid = ThreadLocalRandom.current().nextLong(1, 1L << 53);
    return new LogStore.Append(conv, sender, cmid, mid, System.currentTimeMillis(), text.length() + 200,
        cseq -> new JsonObject().put("msgid", conv.isGroup() ? 10 : 6).put("id", sender).put("msg", text)
            .put("mid", mid).put("conv", conv.key()).put("cseq", cseq).encode(),
        conv.isGroup() ? List.of() : List.of(conv.peerOf(sender)));
  }

  public static List<String> texts(List<LogStore.Entry> entries) {
    return entries.stream().map(e -> new JsonObject(e.body()).getString("msg")).toList();
  }
}
