package chat.store;

import chat.config.ChatConfig;
import chat.config.StoreConfig;
import chat.store.sql.SqlStore;
import chat.testing.StoreKind;
import chat.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static chat.testing.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store's contract, the same on MariaDB and on the embedded H2, through the Store interfaces. */
@ExtendWith(VertxExtension.class)
@ParameterizedClass(name = "{0} store")
@EnumSource(StoreKind.class)
class StoreContractTest {
  @Parameter
  StoreKind kind;
  private TestNode node;
  private Store store;

  @BeforeEach
  void open(Vertx vertx) {
    // a node creates the database and schema; the test then opens its own Store on it
    node = TestNode.start(vertx, kind, new JsonObject().put("store", new JsonObject().put("poolSize", 4)));
    node.stopNode();
    StoreConfig config = ChatConfig.from(node.configJson(), Map.of()).store();
    store = await(SqlStore.open(vertx, config));
  }

  @AfterEach
  void close() {
    await(store.close());
    node.close();
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
  void groupMembershipAndOfflineFanOut() {
    long a = await(store.users().create("a", "h"));
    long b = await(store.users().create("b", "h"));
    long c = await(store.users().create("c", "h"));
    long g = await(store.groups().create(a, "g", "desc"));
    assertTrue(await(store.groups().join(g, b)));
    assertTrue(await(store.groups().join(g, b)), "joining twice is fine");
    assertEquals(false, await(store.groups().join(g + 1000, c)));
    assertEquals(List.of(a, b), await(store.groups().memberIds(g)).orElseThrow().stream().sorted().toList());
    await(store.tokens().save("digest-b", b, Long.MAX_VALUE));
    Group group = await(store.cards().card(b, "digest-b", 0, 10)).groups().get(0);
    assertEquals(Group.Member.CREATOR, group.members().get(0).role());
    assertEquals(List.of(a, b), group.members().stream().map(m -> m.user().id()).toList(), "creator first");

    await(store.offline().saveAll(List.of(b, c), "{\"msgid\":10}"));
    await(store.offline().save(b, "{\"msgid\":6}"));
    List<StoredMessage> queued = await(store.offline().peek(b, 10));
    assertEquals(List.of("{\"msgid\":10}", "{\"msgid\":6}"), queued.stream().map(StoredMessage::body).toList());
    await(store.offline().remove(b, queued.get(0).id()));
    assertEquals(1, await(store.offline().peek(b, 10)).size());
    assertEquals(1, await(store.offline().peek(c, 10)).size());
  }

  @Test
  void refusesDuplicateNamesAndMessagesForNobody() {
    await(store.users().create("same", "h"));
    Throwable dup = store.users().create("same", "h2").transform(Future::succeededFuture).await().cause();
    assertInstanceOf(DuplicateNameException.class, dup);
    Throwable nobody = store.offline().save(424242, "{}").transform(Future::succeededFuture).await().cause();
    assertInstanceOf(UnknownUserException.class, nobody);
  }

  @Test
  void friendshipIsWrittenBothWaysAtOnce() {
    long a = await(store.users().create("fa", "h"));
    long b = await(store.users().create("fb", "h"));
    await(store.friends().befriend(a, b));
    await(store.friends().befriend(b, a));
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
      await(store.offline().save(me, "{\"n\":" + i + "}"));
    }
    long now = System.currentTimeMillis() + 3_600_000; // later than the real clock: save() sweeps expired tokens
    await(store.tokens().save("live", me, now + 1));
    await(store.tokens().save("expired", me, now));
    await(store.tokens().save("theirs", f1, now + 1));

    UserCard card = await(store.cards().card(me, "live", now, 3));
    assertEquals(Optional.of(new User(me, "me")), card.user());
    assertEquals(List.of(new User(f1, "f1"), new User(f2, "f2")), card.friends());
    assertEquals(List.of(g1, g2), card.groups().stream().map(Group::id).toList());
    Group first = card.groups().get(0);
    assertEquals("first", first.description());
    assertEquals(List.of(new Group.Member(new User(f2, "f2"), Group.Member.CREATOR),
        new Group.Member(new User(me, "me"), Group.Member.NORMAL),
        new Group.Member(new User(f1, "f1"), Group.Member.NORMAL)), first.members());
    assertEquals(List.of("{\"n\":0}", "{\"n\":1}", "{\"n\":2}"),
        card.offline().stream().map(StoredMessage::body).toList(), "the oldest page, in order");

    assertTrue(await(store.cards().card(me, "expired", now, 3)).user().isEmpty(), "expired token");
    assertTrue(await(store.cards().card(me, "theirs", now, 3)).user().isEmpty(), "another user's token");
    assertTrue(await(store.cards().card(me, "nothing", now, 3)).user().isEmpty(), "unknown token");
    await(store.tokens().revoke("live"));
    assertTrue(await(store.cards().card(me, "live", now, 3)).user().isEmpty(), "revoked token");
  }

  @Test
  void everyNodeGetsTheSameSharedValue() {
    // the first node to ask stores its proposal; asking again (as another node) reads it back
    assertEquals("first", await(store.secrets().shared("contract", "first")));
    assertEquals("first", await(store.secrets().shared("contract", "second")));
    assertEquals("other", await(store.secrets().shared("contract-other", "other")));
  }

  private List<Long> friendIds(long userId) {
    await(store.tokens().save("friends-of-" + userId, userId, Long.MAX_VALUE));
    return await(store.cards().card(userId, "friends-of-" + userId, 0, 1)).friends().stream().map(User::id).toList();
  }
}
