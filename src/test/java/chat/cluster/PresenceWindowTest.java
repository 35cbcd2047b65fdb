package chat.cluster;

import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.V2;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Presence across two nodes is pushed in windows ({@code sessions.presenceWindowMillis}, long here so
 * that what happens within one is certain): a friend who leaves and comes back within a window is
 * announced once, as they ended up (online), not offline and online; many friends who come at once
 * each reach the watcher once, and the friends of many who leave at once are read together.
 */
class PresenceWindowTest {
  private static final JsonObject WIDE_WINDOW = new JsonObject()
      .put("sessions", new JsonObject().put("presenceWindowMillis", 1500));
  private static final String[] PRESENCE = {"presence"};

  @Test
  void aFriendWhoLeavesAndComesBackWithinAWindowIsToldOnceAndManyAtOnceEachOnce() {
    try (TestCluster cluster = TestCluster.start(2, WIDE_WINDOW);
         TestClient watcher = cluster.node(0).connect()) {
      long w = watcher.registerAndLogin("watcher");
      List<Long> friends = new ArrayList<>();
      List<TestClient> their = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        TestClient f = cluster.node(1).connect();
        their.add(f);
        long id = f.register(TestClient.uniqueName("friend"), "pw");
        friends.add(id);
        V2.loginOk(f, id, "pw");
        V2.befriend(f, w);
        V2.logout(f);
      }
      V2.logout(watcher);
      V2.loginOk(watcher, w, "pw-watcher", PRESENCE);
      // the friends' leaving of a moment ago may still be told, a window late
      watcher.drainUntilQuiet(Duration.ofMillis(3000));

      // twenty friends come at once on the other node: each is announced once
      their.forEach(f -> f.send(new JsonObject().put("msgid", 1).put("id", friends.get(their.indexOf(f)))
          .put("password", "pw").put("seq", "again")));
      their.forEach(f -> assertEquals(0, f.expect(2).getInteger("errno")));
      Set<Long> announced = new HashSet<>();
      for (int i = 0; i < friends.size(); i++) {
        JsonObject p = watcher.expect(38);
        assertEquals("online", p.getString("state"), p::encode);
        assertEquals(true, announced.add(p.getLong("id")), "announced twice: " + p.encode());
      }
      assertEquals(Set.copyOf(friends), announced);

      // one leaves and comes back at once: within the window, told once, as they ended up
      TestClient flapping = their.get(0);
      flapping.send(new JsonObject().put("msgid", 3).put("seq", "out"));
      flapping.send(new JsonObject().put("msgid", 1).put("id", friends.get(0)).put("password", "pw").put("seq", "back"));
      flapping.expect(15);
      assertEquals(0, flapping.expect(2).getInteger("errno"));
      V2.expectPresence(watcher, friends.get(0), "online");
      watcher.expectSilence(Duration.ofMillis(2500));

      // all leave at once: their friends are read together, each offline told once
      their.forEach(TestClient::close);
      Set<Long> gone = new HashSet<>();
      for (int i = 0; i < friends.size(); i++) {
        JsonObject p = watcher.expect(38);
        assertEquals("offline", p.getString("state"), p::encode);
        assertEquals(true, gone.add(p.getLong("id")), "told twice: " + p.encode());
      }
      assertEquals(Set.copyOf(friends), gone);
      watcher.expectSilence(Duration.ofMillis(500));
    }
  }
}
