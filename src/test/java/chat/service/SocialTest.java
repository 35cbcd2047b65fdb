package chat.service;

import chat.testing.NodeTestBase;
import chat.testing.Person;
import chat.testing.Waits;
import chat.testing.TestClient;
import chat.testing.TwoUsers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;


/** Friends, groups and group chat. */
class SocialTest extends NodeTestBase {

  @Test
  void friendshipIsMutualAndCarriesPresence() {
    TestClient alice = client();
    long a = alice.registerAndLogin("alice");
    TestClient bobSetup = client();
    String bobName = TestClient.uniqueName("bob");
    long b = bobSetup.register(bobName, "pw");
    alice.send(new JsonObject().put("msgid", 7).put("id", a).put("friendid", b).put("seq", 1));
    JsonObject ack = alice.expect(11);
    assertEquals(0, ack.getInteger("errno"));
    assertEquals(b, ack.getLong("friendid"));
    // again: idempotent
    alice.send(new JsonObject().put("msgid", 7).put("friendid", b).put("seq", 2));
    alice.expect(11);

    JsonArray bobsFriends = bobSetup.login(b, "pw").getJsonArray("friends");
    assertEquals(1, bobsFriends.size());
    JsonObject entry = new JsonObject(bobsFriends.getString(0));
    assertEquals(a, entry.getLong("id"));
    assertEquals("online", entry.getString("state"));

    alice.send(new JsonObject().put("msgid", 3).put("seq", 3));
    alice.expect(15);
    JsonArray alicesFriends = alice.login(a, "pw-alice").getJsonArray("friends");
    JsonObject bobEntry = new JsonObject(alicesFriends.getString(0));
    assertEquals(b, bobEntry.getLong("id"));
    assertEquals(bobName, bobEntry.getString("name"));
    assertEquals("online", bobEntry.getString("state"));

    bobSetup.close();
    TestClient carol = client();
    carol.registerAndLogin("carol");
    alice.send(new JsonObject().put("msgid", 3).put("seq", 4));
    alice.expect(15);
    String state = "online";
    for (int i = 0; i < 50 && state.equals("online"); i++) {
      Waits.sleep(100);
      state = new JsonObject(alice.login(a, "pw-alice").getJsonArray("friends").getString(0)).getString("state");
      if (state.equals("online")) {
        alice.send(new JsonObject().put("msgid", 3).put("seq", 5));
        alice.expect(15);
      }
    }
    assertEquals("offline", state);
  }

  /** A repeated ADD_FRIEND or ADD_GROUP changes nothing, so nobody hears of it (SOCIAL is for changes). */
  @Test
  void repeatedAddsAreAcknowledgedButTellNobody() {
    TestClient alice = client();
    long a = alice.registerAndLogin("alice");
    Person bob = Person.loggedIn(client(), "bob", "social");

    for (int seq = 1; seq <= 2; seq++) {
      alice.send(new JsonObject().put("msgid", 7).put("friendid", bob.id()).put("seq", seq));
      assertEquals(0, alice.expect(11).getInteger("errno"));
    }
    JsonObject added = bob.c().expect(44);
    assertEquals("friend_added", added.getString("event"));
    assertEquals(a, added.getLong("id"));

    alice.send(new JsonObject().put("msgid", 8).put("groupname", "g").put("groupdesc", "d").put("seq", 3));
    long g = alice.expect(12).getLong("groupid");
    bob.c().send(new JsonObject().put("msgid", 9).put("groupid", g).put("seq", 2));
    bob.c().expect(13);
    for (int seq = 4; seq <= 5; seq++) {
      alice.send(new JsonObject().put("msgid", 9).put("groupid", g).put("seq", seq));
      assertEquals(0, alice.expect(13).getInteger("errno"), "the creator is a member already");
    }
    bob.c().send(new JsonObject().put("msgid", 9).put("groupid", g).put("seq", 3));
    assertEquals(0, bob.c().expect(13).getInteger("errno"), "so is bob");
    bob.c().expectSilence(Duration.ofMillis(500));
  }

  @Test
  void friendErrors() {
    TestClient alice = client();
    long a = alice.registerAndLogin("alice");
    alice.send(new JsonObject().put("msgid", 7).put("friendid", 99_999_999L).put("seq", 1));
    assertEquals(7, alice.expectError(106).getInteger("re"));
    alice.send(new JsonObject().put("msgid", 7).put("friendid", a).put("seq", 2));
    alice.expectError(102);
    alice.send(new JsonObject().put("msgid", 7).put("seq", 3));
    alice.expectError(102);
  }

  @Test
  void groupsCreateJoinAndChatLiveAndOffline() {
    TwoUsers pair = TwoUsers.loggedIn(client(), client());
    TestClient carolSetup = client();
    long c = carolSetup.register(TestClient.uniqueName("carol"), "pw");

    pair.alice().send(new JsonObject().put("msgid", 8).put("id", pair.aliceId()).put("groupname", "rust fans")
        .put("groupdesc", "all things rust").put("seq", 1));
    JsonObject created = pair.alice().expect(12);
    long g = created.getLong("groupid");
    assertEquals("rust fans", created.getString("groupname"));

    pair.bob().send(new JsonObject().put("msgid", 9).put("groupid", g).put("seq", 2));
    assertEquals(g, pair.bob().expect(13).getLong("groupid"));
    assertEquals(0, carolSetup.login(c, "pw").getInteger("errno"));
    carolSetup.send(new JsonObject().put("msgid", 9).put("groupid", g).put("seq", 3));
    carolSetup.expect(13);
    carolSetup.send(new JsonObject().put("msgid", 3).put("seq", 4));
    carolSetup.expect(15);

    pair.alice().send(new JsonObject().put("msgid", 10).put("id", 12345).put("groupid", g).put("msg", "hi all").put("seq", 5));
    JsonObject got = pair.bob().expect(10);
    assertEquals(pair.aliceId(), got.getLong("id"));
    assertEquals(g, got.getLong("groupid"));
    assertEquals("hi all", got.getString("msg"));
    JsonObject ack = pair.alice().expect(14);
    assertEquals(10, ack.getInteger("re"));
    assertEquals("stored", ack.getString("status"));
    assertEquals(1, ack.getInteger("delivered"));
    assertEquals(1, ack.getInteger("stored"));
    pair.alice().expectSilence(Duration.ofMillis(200));

    JsonObject login = carolSetup.login(c, "pw");
    JsonArray offline = login.getJsonArray("offlinemsg");
    assertEquals(1, offline.size());
    assertEquals("hi all", new JsonObject(offline.getString(0)).getString("msg"));
    JsonArray groups = login.getJsonArray("groups");
    assertEquals(1, groups.size());
    JsonObject group = new JsonObject(groups.getString(0));
    assertEquals(g, group.getLong("id"));
    assertEquals("rust fans", group.getString("groupname"));
    assertEquals("all things rust", group.getString("groupdesc"));
    JsonArray users = group.getJsonArray("users");
    assertEquals(3, users.size());
    JsonObject creator = new JsonObject(users.getString(0));
    assertEquals(pair.aliceId(), creator.getLong("id"));
    assertEquals("creator", creator.getString("role"));
    assertEquals("online", creator.getString("state"));
    for (int i = 1; i < 3; i++) {
      assertEquals("normal", new JsonObject(users.getString(i)).getString("role"));
    }
  }

  @Test
  void groupErrors() {
    TestClient alice = client();
    alice.registerAndLogin("alice");
    TestClient outsider = client();
    outsider.registerAndLogin("outsider");
    alice.send(new JsonObject().put("msgid", 8).put("groupname", "g").put("seq", 1));
    long g = alice.expect(12).getLong("groupid");

    outsider.send(new JsonObject().put("msgid", 10).put("groupid", g).put("msg", "let me in").put("seq", 2));
    JsonObject forbidden = outsider.expectError(105);
    assertEquals(10, forbidden.getInteger("re"));
    alice.expectSilence(Duration.ofMillis(200));

    outsider.send(new JsonObject().put("msgid", 9).put("groupid", 99_999_999L).put("seq", 3));
    outsider.expectError(106);
    outsider.send(new JsonObject().put("msgid", 10).put("groupid", 99_999_999L).put("msg", "x").put("seq", 4));
    outsider.expectError(106);
    outsider.send(new JsonObject().put("msgid", 8).put("groupname", "").put("seq", 5));
    outsider.expectError(102);
    outsider.send(new JsonObject().put("msgid", 8).put("groupname", "x".repeat(65)).put("seq", 6));
    outsider.expectError(102);
  }
}
