package chat.store;

import chat.testing.Appends;
import chat.testing.StoreTestBase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static chat.testing.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store's contract, the same on MariaDB and on the embedded H2, through the Store interfaces. */
class StoreContractTest extends StoreTestBase {
  @Override
  protected int poolSize() {
    return 4;
  }

  @Test
  void writesAfterTransactionsAreVisibleToEveryPooledConnection() {
    long creator = await(store.users().create("creator", "h"));
    // transactions on several pooled connections at once
    List<Future<Long>> groups = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      groups.add(store.groups().create(creator, "g" + i, "d"));
    }
    await(Future.all(groups));
    // then plain writes and reads, spread over the pool: every write is committed and seen
    for (int round = 0; round < 20; round++) {
      List<Future<Long>> created = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        created.add(store.users().create("u" + round + "-" + i, "h"));
      }
      await(Future.all(created));
      for (Future<Long> id : created) {
        List<Future<Optional<User>>> reads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          reads.add(store.users().find(id.result()));
        }
        await(Future.all(reads));
        for (Future<Optional<User>> r : reads) {
          assertTrue(r.result().isPresent(), "user " + id.result() + " not visible to another connection");
        }
      }
    }
  }

  @Test
  void groupMembershipAndWhatItOwes() {
    long a = await(store.users().create("a", "h"));
    long b = await(store.users().create("b", "h"));
    long c = await(store.users().create("c", "h"));
    long g = await(store.groups().create(a, "g", "desc"));
    ConvId conv = ConvId.ofGroup(g);
    appendAll(message(conv, a, null, "before b joined"));
    assertEquals(GroupStore.Joined.NEW_MEMBER, await(store.groups().join(g, b)));
    assertEquals(GroupStore.Joined.ALREADY_MEMBER, await(store.groups().join(g, b)), "joining twice is fine");
    assertEquals(GroupStore.Joined.NO_SUCH_GROUP, await(store.groups().join(g + 1000, c)));
    assertEquals(List.of(a, b), await(store.groups().memberIds(g)).orElseThrow().stream().sorted().toList());
    await(store.tokens().save("digest-b", b, Long.MAX_VALUE));
    Group group = await(store.cards().card(b)).groups().get(0);
    assertEquals(Group.Member.CREATOR, group.members().get(0).role());
    assertEquals(List.of(a, b), group.members().stream().map(m -> m.user().id()).toList(), "creator first");

    assertEquals(List.of(), await(store.log().owed(b, 10)), "a new member is owed nothing written before");
    assertEquals(1, await(store.log().after(conv.key(), 0, 10)).size(), "yet can read it all");
    appendAll(message(conv, a, null, "after"));
    assertEquals(List.of("after"), texts(await(store.log().owed(b, 10))));
    assertEquals(List.of(), await(store.log().owed(c, 10)), "not a member, owed nothing");
    await(store.log().advance(List.of(new LogStore.Cursor(b, conv.key(), 2, 0))));
    assertEquals(List.of(), await(store.log().owed(b, 10)));
  }

  @Test
  void refusesDuplicateNames() {
    await(store.users().create("same", "h"));
    Throwable dup = store.users().create("same", "h2").transform(Future::succeededFuture).await().cause();
    assertInstanceOf(DuplicateNameException.class, dup);
  }

  @Test
  void aNameIsHeldByItsFoldedFormAndKeptAsTyped() {
    long alice = await(store.users().create("Alice", "h-alice"));
    long strasse = await(store.users().create("straße", "h-strasse"));
    for (String variant : List.of("alice", "ALICE", "ａｌｉｃｅ", "Ａlice", "STRASSE", "Strasse", "ＳＴＲＡＳＳＥ")) {
      Throwable dup = store.users().create(variant, "h").transform(Future::succeededFuture).await().cause();
      assertInstanceOf(DuplicateNameException.class, dup, variant);
    }
    assertEquals(Optional.of(new UserStore.Holder(alice, "h-alice")), await(store.users().holder("ａＬＩＣＥ")));
    assertEquals(Optional.of(new UserStore.Holder(strasse, "h-strasse")), await(store.users().holder("STRASSE")));
    assertEquals(Optional.empty(), await(store.users().holder("alic")));
    assertEquals(List.of(new User(alice, "Alice")), await(store.users().findByPrefix("ＡＬ", 20)));
    assertEquals(List.of(new User(strasse, "straße")), await(store.users().findByPrefix("STRASS", 20)));
    // LIKE's own characters are only themselves
    assertEquals(List.of(), await(store.users().findByPrefix("A%", 20)));
  }

  @Test
  void ofConcurrentCreatesOfOneFoldedNameExactlyOneSucceeds() {
    for (int round = 0; round < 10; round++) {
      String name = "Race" + round;
      List<Future<Long>> creates = new ArrayList<>();
      for (String variant : List.of(name, name.toUpperCase(), name.toLowerCase(), "ｒａｃｅ" + round)) {
        creates.add(store.users().create(variant, "h"));
      }
      await(Future.join(creates).transform(done -> Future.succeededFuture()));
      assertEquals(1, creates.stream().filter(Future::succeeded).count(), "round " + round);
      for (Future<Long> f : creates) {
        if (f.failed()) {
          assertInstanceOf(DuplicateNameException.class, f.cause(), "round " + round);
        }
      }
    }
  }

  @Test
  void cursorsOnlyMoveForward() {
    long a = await(store.users().create("ca", "h"));
    long b = await(store.users().create("cb", "h"));
    ConvId conv = ConvId.ofUsers(a, b);
    appendAll(message(conv, a, null, "1"), message(conv, a, null, "2"), message(conv, a, null, "3"));
    await(store.log().advance(List.of(new LogStore.Cursor(b, conv.key(), 2, 0))));
    await(store.log().advance(List.of(new LogStore.Cursor(b, conv.key(), 1, 0))));
    assertEquals(2, await(store.log().place(b, conv.key())).delivered());
    assertEquals(-1, await(store.log().place(b, ConvId.ofUsers(b, 999_999).key())).delivered(), "no cursor");
    assertEquals(3, await(store.log().read(b, conv.key(), 3)));
    assertEquals(3, await(store.log().read(b, conv.key(), 1)), "never back");
  }

  @Test
  void conversationsComeNewestFirstWithTheirNamesAndCursors() {
    long me = await(store.users().create("lister", "h"));
    long peer = await(store.users().create("peer", "h"));
    long g = await(store.groups().create(me, "the group", "d"));
    ConvId pair = ConvId.ofUsers(me, peer);
    appendAll(message(pair, peer, null, "hello"));
    appendAll(message(ConvId.ofGroup(g), me, null, "later, in the group"));
    await(store.log().read(me, pair.key(), 0));
    List<LogStore.Summary> list = await(store.log().conversations(me, 10));
    assertEquals(List.of(ConvId.ofGroup(g), pair), list.stream().map(LogStore.Summary::conv).toList());
    assertEquals("the group", list.get(0).title());
    assertEquals("peer", list.get(1).title());
    assertEquals(1, list.get(1).last());
    assertEquals(0, list.get(1).read());
    assertEquals("hello", new JsonObject(list.get(1).lastMessage().body()).getString("msg"));
    assertEquals(1, await(store.log().conversations(me, 1)).size());
  }

  @Test
  void friendshipIsWrittenBothWaysAtOnce() {
    long a = await(store.users().create("fa", "h"));
    long b = await(store.users().create("fb", "h"));
    assertTrue(await(store.friends().befriend(a, b)));
    assertFalse(await(store.friends().befriend(b, a)), "already friends");
    assertEquals(List.of(b), friendIds(a));
    assertEquals(List.of(a), friendIds(b));
  }

  @Test
  void cardNeedsALiveTokenOfThatUserAndCarriesEverythingInOrder() {
    long me = await(store.users().create("me", "h"));
    long f1 = await(store.users().create("f1", "h"));
    long f2 = await(store.users().create("f2", "h"));
    await(store.friends().befriend(me, f2));
    await(store.friends().befriend(f1, me));
    long g1 = await(store.groups().create(f2, "g1", "first"));
    long g2 = await(store.groups().create(me, "g2", "second"));
    await(store.groups().join(g1, me));
    await(store.groups().join(g1, f1));
    for (int i = 0; i < 5; i++) {
      appendAll(message(ConvId.ofUsers(me, f1), f1, null, "n" + i));
    }
    long now = System.currentTimeMillis() + 3_600_000; // later than the real clock: save() sweeps expired tokens
    await(store.tokens().save("live", me, now + 1));
    await(store.tokens().save("expired", me, now));
    await(store.tokens().save("theirs", f1, now + 1));

    UserCard card = await(store.cards().loginCard(me, "live", now, 3, "login-1"));
    assertEquals(Optional.of(new User(me, "me")), card.user());
    assertEquals(List.of(new User(f1, "f1"), new User(f2, "f2")), card.friends());
    assertEquals(List.of(g1, g2), card.groups().stream().map(Group::id).toList());
    Group first = card.groups().get(0);
    assertEquals("first", first.description());
    assertEquals(List.of(new Group.Member(new User(f2, "f2"), Group.Member.CREATOR),
        new Group.Member(new User(me, "me"), Group.Member.NORMAL),
        new Group.Member(new User(f1, "f1"), Group.Member.NORMAL)), first.members());
    assertEquals(List.of("n0", "n1", "n2"), texts(card.owed()), "the oldest page of what is owed, in order");

    assertTrue(await(store.cards().loginCard(me, "expired", now, 3, "login-2")).user().isEmpty(), "expired token");
    assertTrue(await(store.cards().loginCard(me, "theirs", now, 3, "login-3")).user().isEmpty(), "another user's token");
    assertTrue(await(store.cards().loginCard(me, "nothing", now, 3, "login-4")).user().isEmpty(), "unknown token");
    await(store.tokens().revoke("live"));
    assertTrue(await(store.cards().loginCard(me, "live", now, 3, "login-5")).user().isEmpty(), "revoked token");
  }

  @Test
  void everyNodeGetsTheSameSharedValue() {
    // the first node to ask stores its proposal; asking again (as another node) reads it back
    assertEquals("first", await(store.secrets().shared("contract", "first")));
    assertEquals("first", await(store.secrets().shared("contract", "second")));
    assertEquals("other", await(store.secrets().shared("contract-other", "other")));
  }

  private List<Long> friendIds(long userId) {
    return await(store.cards().card(userId)).friends().stream().map(User::id).toList();
  }

  /** Where a session that started at some moment begins: the newest entry written before it. */
  @Test
  void lastBeforeFindsTheNewestEntryWrittenBeforeAMoment() {
    long a = await(store.users().create("lb-a", "h"));
    long b = await(store.users().create("lb-b", "h"));
    ConvId conv = ConvId.ofUsers(a, b);
    assertEquals(0L, await(store.log().lastBefore(conv.key(), Long.MAX_VALUE)), "nothing written yet");
    for (long ts : new long[] {1_000, 2_000, 3_000}) {
      appendAll(new LogStore.Append(conv, a, null, ts, ts, 32, cseq -> "{\"msg\":\"at " + ts + "\"}", List.of(b)));
    }
    assertEquals(0L, await(store.log().lastBefore(conv.key(), 1_000)));
    assertEquals(1L, await(store.log().lastBefore(conv.key(), 1_001)));
    assertEquals(2L, await(store.log().lastBefore(conv.key(), 3_000)));
    assertEquals(3L, await(store.log().lastBefore(conv.key(), Long.MAX_VALUE)));
  }

  @Test
  void aTakenNumberOrCmidRefusesTheWholeWrite() {
    long a = await(store.users().create("wa", "h"));
    long b = await(store.users().create("wb", "h"));
    ConvId conv = ConvId.ofUsers(a, b);
    assertEquals(0L, await(store.log().open(List.of(conv))).get(conv.key()));
    assertEquals(0L, await(store.log().place(b, conv.key())).delivered(), "opening a pair gives both their cursors");
    await(store.log().write(List.of(numbered(conv, 1, a, "c-1", "one"))));
    Throwable taken = store.log().write(List.of(numbered(conv, 2, a, null, "two"), numbered(conv, 1, b, null, "x")))
        .transform(Future::succeededFuture).await().cause();
    assertInstanceOf(LogStore.Conflict.class, taken, "cseq 1 is taken");
    Throwable used = store.log().write(List.of(numbered(conv, 2, a, "c-1", "again")))
        .transform(Future::succeededFuture).await().cause();
    assertInstanceOf(LogStore.Conflict.class, used, "a's cmid c-1 is used");
    assertEquals(List.of("one"), texts(await(store.log().after(conv.key(), 0, 10))), "nothing of either was written");
    assertEquals(1L, await(store.log().open(List.of(conv))).get(conv.key()));
    assertEquals("one", texts(List.of(await(store.log().byCmid(List.of(new LogStore.Cmid(a, "c-1"))))
        .get(new LogStore.Cmid(a, "c-1")))).get(0));
    assertTrue(await(store.log().byCmid(List.of(new LogStore.Cmid(b, "c-1")))).isEmpty(), "cmids are the sender's");
  }

  /**
   * The owing mark: set by every append to a user, taken by a login card (which reads what is owed
   * only then), removed when that login settles it, unless something was appended to the user since.
   */
  @Test
  void aLoginReadsWhatIsOwedOnlyWhileTheUserIsMarked() {
    long a = await(store.users().create("oa", "h"));
    long b = await(store.users().create("ob", "h"));
    ConvId conv = ConvId.ofUsers(a, b);
    UserCard quiet = await(store.cards().loginCard(b, 10, "b-1"));
    assertEquals(List.of(), quiet.owed());
    assertFalse(quiet.markTaken(), "nothing appended to b: no mark, nothing read");

    appendAll(message(conv, a, null, "one"));
    UserCard first = await(store.cards().loginCard(b, 10, "b-2"));
    assertTrue(first.markTaken());
    assertEquals(List.of("one"), texts(first.owed()));
    await(store.log().advance(List.of(new LogStore.Cursor(b, conv.key(), 1, 0))));
    await(store.log().settle(b, "b-2"));
    assertFalse(await(store.cards().loginCard(b, 10, "b-3")).markTaken(), "settled: the next login reads nothing");

    appendAll(message(conv, a, null, "two"));
    assertTrue(await(store.cards().loginCard(b, 10, "b-4")).markTaken());
    appendAll(message(conv, a, null, "three"));
    await(store.log().settle(b, "b-4"));
    UserCard again = await(store.cards().loginCard(b, 10, "b-5"));
    assertTrue(again.markTaken(), "appended to since b-4 took the mark: its settling leaves it");
    assertEquals(List.of("two", "three"), texts(again.owed()));

    await(store.log().settle(b, "b-4"));
    assertTrue(await(store.cards().loginCard(b, 10, "b-6")).markTaken(), "only the holder settles");
    assertFalse(await(store.cards().loginCard(a, 10, "a-1")).markTaken(), "a sender is not marked by his own");
  }

  private List<LogStore.Appended> appendAll(LogStore.Append... messages) {
    return Appends.all(vertx, store, messages);
  }

  private static LogStore.Append message(ConvId conv, long sender, String cmid, String text) {
    return Appends.message(conv, sender, cmid, text);
  }

  private static LogStore.Numbered numbered(ConvId conv, long cseq, long sender, String cmid, String text) {
    LogStore.Append a = message(conv, sender, cmid, text);
    return new LogStore.Numbered(new LogStore.Entry(conv.key(), cseq, a.mid(), sender, a.ts(), a.body().apply(cseq)),
        cmid, a.recipients());
  }

  private static List<String> texts(List<LogStore.Entry> entries) {
    return Appends.texts(entries);
  }
}
