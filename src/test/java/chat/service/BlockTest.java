package chat.service;

import chat.testing.Lifecycle;
import chat.testing.NodeTestBase;
import chat.testing.Person;
import chat.testing.TestClient;
import chat.testing.V2;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static chat.testing.V2.assertSocial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BLOCK and UNBLOCK (PROTOCOL.md, "Privacy and the message lifecycle"): a blocked user's one-to-one
 * messages, friend requests and typing are refused and nothing of them reaches the blocker, in any
 * direction and by any way of reading; the friendship ends; groups stay shared; unblocking restores
 * messaging but not the friendship.
 */
class BlockTest extends NodeTestBase {
  private static final Duration QUIET = Duration.ofMillis(300);

  @Test
  void aBlockedUserReachesTheBlockerInNoWayAndUnblockingRestoresMessagingOnly() {
    Person alice = Person.loggedIn(client(), "alice", Lifecycle.CAPS);
    Person bob = Person.loggedIn(client(), "bob", Lifecycle.CAPS);
    String pair = V2.pair(alice.id(), bob.id());
    V2.befriend(alice.c(), bob.id());
    assertSocial(bob.c().expect(44), "friend_added", alice.id(), alice.name(), null);
    long group = alice.createGroupJoinedBy("both", bob);
    alice.c().chatDelivered(bob.id(), "before", 1);
    assertEquals("before", bob.c().expect(6).getString("msg"));

    Lifecycle.block(bob.c(), alice.id());
    assertSocial(alice.c().expect(44), "friend_removed", bob.id(), bob.name(), null);

    alice.c().chat(bob.id(), "after", 2);
    assertEquals("you cannot message this user", alice.c().expectError(105).getString("errmsg"));
    bob.c().chat(alice.id(), "from the blocker", 3);
    assertTrue(bob.c().expectError(105).getString("errmsg").contains("unblock"));
    alice.c().send(new JsonObject().put("msgid", 37).put("conv", pair).put("seq", "typing"));
    alice.c().expectError(105);
    alice.c().send(new JsonObject().put("msgid", 7).put("friendid", bob.id()).put("seq", "add"));
    alice.c().expectError(105);
    bob.c().send(new JsonObject().put("msgid", 7).put("friendid", alice.id()).put("seq", "add"));
    bob.c().expectError(105);
    bob.c().expectSilence(QUIET);

    // nothing was appended: history, the list and the card say so
    JsonObject history = V2.sync(bob.c(), new JsonObject().put("conv", pair));
    assertEquals(List.of("before"), V2.texts(history));
    assertEquals(1, history.getLong("last"));
    JsonObject listed = V2.listed(bob.c(), pair);
    assertEquals("before", listed.getJsonObject("lastmsg").getString("msg"));
    assertEquals(1, listed.getInteger("unread"), "\"before\" only");
    JsonObject bobsCard = V2.card(bob.c());
    assertEquals(new JsonArray().add(alice.id()), bobsCard.getJsonArray("blocked"));
    assertTrue(V2.friends(bobsCard).isEmpty());
    JsonObject alicesCard = V2.card(alice.c());
    assertEquals(new JsonArray(), alicesCard.getJsonArray("blocked"));
    assertTrue(V2.friends(alicesCard).isEmpty());
    // the blocker's presence is hidden from the blocked (bob is online); FIND_USER still finds him
    assertEquals("offline", memberState(V2.onlyGroup(alicesCard), bob.id()));
    assertEquals("online", memberState(V2.onlyGroup(bobsCard), alice.id()));
    JsonObject found = V2.find(alice.c(), bob.name()).getJsonArray("users").getJsonObject(0);
    assertEquals(bob.id(), found.getLong("id"));
    assertEquals("offline", found.getString("state"));

    // groups stay shared, both ways
    alice.c().send(new JsonObject().put("msgid", 10).put("groupid", group).put("msg", "to all").put("seq", 4));
    alice.c().expect(14);
    assertEquals("to all", bob.c().expect(10).getString("msg"));
    bob.c().send(new JsonObject().put("msgid", 10).put("groupid", group).put("msg", "me too").put("seq", 5));
    bob.c().expect(14);
    assertEquals("me too", alice.c().expect(10).getString("msg"));

    // a new login of the blocker holds the list; a new login of the blocked is still refused
    V2.logout(bob.c());
    TestClient bobAgain = client();
    JsonObject login = V2.loginOk(bobAgain, bob.id(), "pw", Lifecycle.CAPS);
    assertEquals(new JsonArray().add(alice.id()), login.getJsonArray("blocked"));
    assertEquals(new JsonArray(), login.getJsonArray("offlinemsg"));
    V2.logout(alice.c());
    TestClient aliceAgain = client();
    V2.loginOk(aliceAgain, alice.id(), "pw", Lifecycle.CAPS);
    aliceAgain.chat(bob.id(), "still no", 6);
    aliceAgain.expectError(105);

    Lifecycle.unblock(bobAgain, alice.id());
    aliceAgain.chat(bob.id(), "hello again", 7);
    // a new session is pushed what was written in the second before it started ("before", if that
    // was so recent): README, "Several sessions"
    assertEquals("delivered", aliceAgain.expectIgnoring(14, 6).getString("status"));
    JsonObject pushed = bobAgain.expect(6);
    if (pushed.getString("msg").equals("before")) {
      pushed = bobAgain.expect(6);
    }
    assertEquals("hello again", pushed.getString("msg"));
    assertTrue(V2.friends(V2.card(bobAgain)).isEmpty(), "unblocking does not make friends again");
    assertEquals(new JsonArray(), V2.card(bobAgain).getJsonArray("blocked"));
    V2.befriend(aliceAgain, bob.id());
  }

  @Test
  void aBlockedUsersMessagesToAnOfflineBlockerAreRefusedToo() {
    Person alice = Person.loggedIn(client(), "alice", Lifecycle.CAPS);
    Person bob = Person.loggedIn(client(), "bob", Lifecycle.CAPS);
    Lifecycle.block(bob.c(), alice.id());
    V2.logout(bob.c());
    alice.c().chat(bob.id(), "while you were away", 1);
    alice.c().expectError(105);
    TestClient bobAgain = client();
    JsonObject login = V2.loginOk(bobAgain, bob.id(), "pw", Lifecycle.CAPS);
    assertEquals(new JsonArray(), login.getJsonArray("offlinemsg"));
    JsonObject list = V2.conversations(bobAgain);
    assertEquals(new JsonArray(), list.getJsonArray("convs"), "no conversation was started");
  }

  @Test
  void blockRequestsAreChecked() {
    Person alice = Person.loggedIn(client(), "alice", Lifecycle.CAPS);
    alice.c().send(new JsonObject().put("msgid", 51).put("id", alice.id()).put("seq", 1));
    alice.c().expectError(102);
    alice.c().send(new JsonObject().put("msgid", 51).put("seq", 2));
    alice.c().expectError(102);
    alice.c().send(new JsonObject().put("msgid", 51).put("id", "14").put("seq", 3));
    alice.c().expectError(102);
    alice.c().send(new JsonObject().put("msgid", 51).put("id", 999_999_999).put("seq", 4));
    alice.c().expectError(106);
    alice.c().send(new JsonObject().put("msgid", 53).put("id", 999_999_999).put("seq", 5));
    alice.c().expectError(106);
    // blocking twice, or unblocking someone not blocked, changes nothing and is acknowledged
    Person bob = Person.loggedIn(client(), "bob", Lifecycle.CAPS);
    Lifecycle.block(alice.c(), bob.id());
    Lifecycle.block(alice.c(), bob.id());
    Lifecycle.unblock(alice.c(), bob.id());
    Lifecycle.unblock(alice.c(), bob.id());
    bob.c().expectSilence(QUIET);
    TestClient anonymous = client();
    anonymous.send(new JsonObject().put("msgid", 51).put("id", bob.id()).put("seq", 6));
    anonymous.expectError(104);
  }

  @Test
  void aLegacySessionOfABlockedUserIsRefusedWithAnError() {
    Person bob = Person.loggedIn(client(), "bob", Lifecycle.CAPS);
    TestClient legacy = client();
    long alice = legacy.register(TestClient.uniqueName("alice"), "pw");
    assertEquals(0, legacy.legacyLogin(alice, "pw").getInteger("errno"));
    Lifecycle.block(bob.c(), alice);
    legacy.chat(bob.id(), "hi", null);
    assertEquals(105, legacy.expectError(105).getInteger("errno"));
    bob.c().expectSilence(QUIET);
  }

  private static String memberState(JsonObject group, long id) {
    for (Object o : group.getJsonArray("users")) {
      JsonObject u = (JsonObject) o;
      if (u.getLong("id") == id) {
        return u.getString("state");
      }
    }
    throw new AssertionError(id + " is no member of " + group.encode());
  }
}
