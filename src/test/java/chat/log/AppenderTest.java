package chat.log;

import chat.store.ConvId;
import chat.store.LogStore;
import chat.store.Store;
import chat.store.sql.SqlStore;
import chat.testing.Appends;
import chat.testing.StoreTestBase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static chat.testing.Appends.message;
import static chat.testing.Appends.texts;
import static chat.testing.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node's numbering of the conversations' logs, on each store. */
class AppenderTest extends StoreTestBase {
  @Override
  protected int poolSize() {
    return 6;
  }

  @Test
  void eachConversationIsNumberedInOrderWithoutGaps() {
    long a = await(store.users().create("la", "h"));
    long b = await(store.users().create("lb", "h"));
    long c = await(store.users().create("lc", "h"));
    ConvId ab = ConvId.ofUsers(b, a);
    ConvId ac = ConvId.ofUsers(a, c);
    List<LogStore.Appended> first = Appends.all(vertx, store, message(ab, a, null, "ab1"), message(ac, a, null, "ac1"),
        message(ab, b, null, "ab2"), message(ab, a, null, "ab3"));
    assertEquals(List.of(1L, 1L, 2L, 3L), first.stream().map(r -> r.entry().cseq()).toList());
    assertEquals(List.of(4L, 2L), Appends.all(vertx, store, message(ab, b, null, "ab4"), message(ac, c, null, "ac2"))
        .stream().map(r -> r.entry().cseq()).toList());
    assertEquals(4, await(store.log().last(ab.key())));
    assertEquals(0, await(store.log().last(ConvId.ofUsers(b, c).key())), "nothing written yet");
    assertEquals(List.of("ab1", "ab2", "ab3", "ab4"), texts(await(store.log().after(ab.key(), 0, 10))));
    assertEquals(List.of("ab3", "ab4"), texts(await(store.log().after(ab.key(), 2, 10))));
    assertEquals(List.of("ab2", "ab3"), texts(await(store.log().before(ab.key(), 4, 2))), "the newest before, ascending");
    LogStore.Entry entry = await(store.log().after(ab.key(), 3, 1)).get(0);
    assertEquals(b, entry.senderId());
    assertEquals(ab.key(), new JsonObject(entry.body()).getString("conv"));
    assertEquals(4, new JsonObject(entry.body()).getLong("cseq"), "the body carries its number");
    // both users of a new conversation are owed it (a session skips its user's own)
    assertEquals(List.of("ab1", "ab2", "ab3", "ab4"), texts(await(store.log().owed(b, 10))));
  }

  @Test
  void aResendWithTheSameCmidGetsTheFirstEntry() {
    long a = await(store.users().create("ra", "h"));
    long b = await(store.users().create("rb", "h"));
    ConvId conv = ConvId.ofUsers(a, b);
    LogStore.Entry original = Appends.all(vertx, store, message(conv, a, "c-1", "once")).get(0).entry();
    List<LogStore.Appended> again = Appends.all(vertx, store, message(conv, a, "c-1", "once"),
        message(conv, a, "c-2", "two"), message(conv, a, "c-2", "two"), message(conv, b, "c-1", "other sender, same cmid"),
        message(conv, a, "c-1 ", "one space more is another cmid"));
    assertTrue(again.get(0).duplicate());
    assertEquals(original, again.get(0).entry());
    assertEquals(List.of(false, true, false, false), again.subList(1, 5).stream().map(LogStore.Appended::duplicate)
        .toList());
    assertEquals(again.get(1).entry(), again.get(2).entry(), "a resend right behind its first copy too");
    assertEquals(List.of("once", "two", "other sender, same cmid", "one space more is another cmid"),
        texts(await(store.log().after(conv.key(), 0, 10))));
    // to another conversation, the same cmid still names the first message
    ConvId elsewhere = ConvId.ofUsers(a, await(store.users().create("rc", "h")));
    LogStore.Appended moved = Appends.all(vertx, store, message(elsewhere, a, "c-1", "once")).get(0);
    assertTrue(moved.duplicate());
    assertEquals(original, moved.entry());
  }

  /**
   * Two nodes append to one group at once: each numbers from what it knows, the loser of a number
   * reads again and numbers after the winner; every message gets one number, none is skipped, and
   * each node's messages keep the order they were appended in.
   */
  @Test
  void twoNodesAppendingToOneConversationNumberItWithoutGapsOrRepeats() {
    long a = await(store.users().create("na", "h"));
    long g = await(store.groups().create(a, "busy", "d"));
    ConvId conv = ConvId.ofGroup(g);
    Store other = await(SqlStore.open(vertx, config));
    try {
      Appender here = new Appender(store.log(), vertx.getOrCreateContext(), 3);
      Appender there = new Appender(other.log(), vertx.getOrCreateContext(), 3);
      List<Future<LogStore.Appended>> appended = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        Appender node = i % 2 == 0 ? here : there;
        appended.add(node.append(message(conv, a, null, "x" + i)));
      }
      await(Future.all(appended));
      List<Long> numbers = new ArrayList<>();
      for (int i = 0; i < appended.size(); i++) {
        numbers.add(appended.get(i).result().entry().cseq());
        if (i >= 2) {
          assertTrue(numbers.get(i) > numbers.get(i - 2), "a node's messages in the order it appended them");
        }
      }
      numbers.sort(null);
      for (int i = 0; i < numbers.size(); i++) {
        assertEquals(i + 1, numbers.get(i));
      }
      assertEquals(100, await(store.log().last(conv.key())));
      List<LogStore.Entry> log = await(store.log().after(conv.key(), 0, 200));
      assertEquals(100, log.size());
      for (LogStore.Entry e : log) {
        assertEquals(e.cseq(), new JsonObject(e.body()).getLong("cseq"), "each body carries the number it was written with");
      }
    } finally {
      await(other.close());
    }
  }

  @Test
  void aNodeThatMissedAnotherNodesAppendsNumbersAfterThem() {
    long a = await(store.users().create("ma", "h"));
    long b = await(store.users().create("mb", "h"));
    ConvId conv = ConvId.ofUsers(a, b);
    Store other = await(SqlStore.open(vertx, config));
    try {
      Appender here = new Appender(store.log(), vertx.getOrCreateContext(), 2);
      Appender there = new Appender(other.log(), vertx.getOrCreateContext(), 2);
      assertEquals(1, await(here.append(message(conv, a, null, "1"))).entry().cseq());
      assertEquals(2, await(there.append(message(conv, b, null, "2"))).entry().cseq());
      assertEquals(3, await(there.append(message(conv, b, null, "3"))).entry().cseq());
      // "here" still believes 1 is the newest: 2 is refused, it reads again
      assertEquals(4, await(here.append(message(conv, a, null, "4"))).entry().cseq());
      assertEquals(List.of("1", "2", "3", "4"), texts(await(store.log().after(conv.key(), 0, 10))));
    } finally {
      await(other.close());
    }
  }

  @Test
  void aBatchOfBigMessagesIsAppendedWhole() {
    long a = await(store.users().create("big", "h"));
    long g = await(store.groups().create(a, "big", "d"));
    // 120 KB each: 24 MB at once, more than MariaDB takes in one statement (max_allowed_packet 16 MiB)
    String text = "\ud83d\ude00".repeat(30_000);
    LogStore.Append[] batch = new LogStore.Append[200];
    for (int i = 0; i < batch.length; i++) {
      batch[i] = message(ConvId.ofGroup(g), a, null, text);
    }
    List<LogStore.Appended> appended = Appends.all(vertx, store, batch);
    for (int i = 0; i < appended.size(); i++) {
      assertEquals(i + 1, appended.get(i).entry().cseq());
    }
    List<LogStore.Entry> read = await(store.log().after(ConvId.ofGroup(g).key(), 195, 10));
    assertEquals(5, read.size());
    assertEquals(text, new JsonObject(read.get(4).body()).getString("msg"));
  }
}
