package chat.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The v2 requests of PROTOCOL.md ("Sessions, presence and social changes", "Conversations") as
 * tests send them, and bounded waits for pushes that come from elsewhere in the cluster.
 */
public final class V2 {
  public static final String[] ALL_CAPS = {"presence", "social", "receipts", "typing"};

  private V2() {
  }

  /** A password LOGIN (with a seq: not legacy) asking for {@code caps}; the ack. */
  public static JsonObject login(TestClient c, long id, String password, String... caps) {
    c.send(new JsonObject().put("msgid", 1).put("id", id).put("password", password).put("seq", "login")
        .put("caps", new JsonArray(List.of((Object[]) caps))));
    return c.expect(2);
  }

  /** The same, which must succeed. */
  public static JsonObject loginOk(TestClient c, long id, String password, String... caps) {
    JsonObject ack = login(c, id, password, caps);
    assertEquals(0, ack.getInteger("errno"), ack::encode);
    return ack;
  }

  /** A token LOGIN asking for {@code caps}; the ack. */
  public static JsonObject tokenLogin(TestClient c, long id, String token, String... caps) {
    c.send(new JsonObject().put("msgid", 1).put("id", id).put("token", token).put("seq", "token-login")
        .put("caps", new JsonArray(List.of((Object[]) caps))));
    return c.expect(2);
  }

  /** LOGINOUT with a seq; its ack. */
  public static JsonObject logout(TestClient c) {
    c.send(new JsonObject().put("msgid", 3).put("seq", "out"));
    return c.expect(15);
  }

  /** ADD_FRIEND with a seq; the ack must be a success. */
  public static void befriend(TestClient c, long friend) {
    c.send(new JsonObject().put("msgid", 7).put("friendid", friend).put("seq", "befriend"));
    JsonObject ack = c.expect(11);
    assertEquals(0, ack.getInteger("errno"), ack::encode);
  }

  /** CREATE_GROUP; the new group's id. */
  public static long createGroup(TestClient c, String name) {
    c.send(new JsonObject().put("msgid", 8).put("groupname", name).put("groupdesc", "about " + name).put("seq", "create"));
    return c.expect(12).getLong("groupid");
  }

  /** ADD_GROUP, which must succeed. */
  public static void join(TestClient c, long group) {
    c.send(new JsonObject().put("msgid", 9).put("groupid", group).put("seq", "join"));
    JsonObject ack = c.expect(13);
    assertEquals(0, ack.getInteger("errno"), ack::encode);
  }

  /** LEAVE_GROUP; the next message (its ack or an ERROR). */
  public static JsonObject leave(TestClient c, long group) {
    c.send(new JsonObject().put("msgid", 42).put("groupid", group).put("seq", "leave"));
    return c.next();
  }

  /** FIND_USER for names starting with {@code prefix}; its ack (or an ERROR: the next message). */
  public static JsonObject find(TestClient c, String prefix) {
    c.send(new JsonObject().put("msgid", 45).put("name", prefix).put("seq", "find"));
    return c.next();
  }

  /** CARD; its ack. */
  public static JsonObject card(TestClient c) {
    c.send(new JsonObject().put("msgid", 47).put("seq", "card"));
    return c.expect(48);
  }

  /** The friends of a card or login ack, parsed. */
  public static List<JsonObject> friends(JsonObject cardOrLogin) {
    List<JsonObject> out = new ArrayList<>();
    for (Object o : cardOrLogin.getJsonArray("friends")) {
      out.add(new JsonObject((String) o));
    }
    return out;
  }

  /** The groups of a card or login ack, parsed (their users too). */
  public static List<JsonObject> groups(JsonObject cardOrLogin) {
    List<JsonObject> out = new ArrayList<>();
    for (Object o : cardOrLogin.getJsonArray("groups")) {
      JsonObject g = new JsonObject((String) o);
      JsonArray users = new JsonArray();
      for (Object u : g.getJsonArray("users")) {
        users.add(new JsonObject((String) u));
      }
      out.add(g.put("users", users));
    }
    return out;
  }

  /** The only group of a card or login ack, parsed; fails if there are more or none. */
  public static JsonObject onlyGroup(JsonObject cardOrLogin) {
    List<JsonObject> groups = groups(cardOrLogin);
    assertEquals(1, groups.size(), cardOrLogin::encode);
    return groups.get(0);
  }

  /** The members of a parsed group: id to role. */
  public static Map<Long, String> members(JsonObject group) {
    Map<Long, String> out = new HashMap<>();
    for (Object o : group.getJsonArray("users")) {
      JsonObject u = (JsonObject) o;
      out.put(u.getLong("id"), u.getString("role"));
    }
    return out;
  }

  /** The state ("online"/"offline") of friend {@code id} in a card, failing if they are not listed. */
  public static String friendState(JsonObject card, long id) {
    for (JsonObject f : friends(card)) {
      if (f.getLong("id") == id) {
        return f.getString("state");
      }
    }
    throw new AssertionError("user " + id + " is not among the friends: " + card.encode());
  }

  /** SYNC; its ack (or an ERROR: the next message). */
  public static JsonObject sync(TestClient c, JsonObject fields) {
    c.send(fields.copy().put("msgid", 30).put("seq", "sync"));
    return c.next();
  }

  /** CONVERSATIONS; its ack. */
  public static JsonObject conversations(TestClient c) {
    c.send(new JsonObject().put("msgid", 32).put("seq", "convs"));
    return c.expect(33);
  }

  /** The user's entry of conversation {@code conv} in CONVERSATIONS; fails when it is not listed. */
  public static JsonObject listed(TestClient c, String conv) {
    for (Object o : conversations(c).getJsonArray("convs")) {
      if (conv.equals(((JsonObject) o).getString("conv"))) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError(conv + " is not listed");
  }

  /** The cseqs of a SYNC_ACK's messages, in order. */
  public static List<Long> cseqs(JsonObject syncAck) {
    List<Long> out = new ArrayList<>();
    for (Object o : syncAck.getJsonArray("msgs")) {
      out.add(((JsonObject) o).getLong("cseq"));
    }
    return out;
  }

  /** The texts of a SYNC_ACK's messages, in order. */
  public static List<String> texts(JsonObject syncAck) {
    List<String> out = new ArrayList<>();
    for (Object o : syncAck.getJsonArray("msgs")) {
      out.add(((JsonObject) o).getString("msg"));
    }
    return out;
  }

  public static String pair(long a, long b) {
    return "p:" + Math.min(a, b) + ":" + Math.max(a, b);
  }

  /**
   * The first message matching {@code want} within {@code bound}; those before it are added to
   * {@code skipped} (when not null). Fails when none comes in time.
   */
  public static JsonObject await(TestClient c, Duration bound, Predicate<JsonObject> want, List<JsonObject> skipped) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject m = left > 0 ? c.nextWithin(Duration.ofNanos(left)) : null;
      assertNotNull(m, "nothing matching came within " + bound + "; before it: " + skipped);
      if (want.test(m)) {
        return m;
      }
      if (skipped != null) {
        skipped.add(m);
      }
    }
  }

  /** A PRESENCE push about {@code id} in {@code state}. */
  public static Predicate<JsonObject> presence(long id, String state) {
    return m -> m.getInteger("msgid") == 38 && m.getLong("id") == id && state.equals(m.getString("state"));
  }

  /** The next message is a PRESENCE push about {@code id} in {@code state}, with no other field. */
  public static void expectPresence(TestClient c, long id, String state) {
    assertEquals(new JsonObject().put("msgid", 38).put("id", id).put("state", state), c.expect(38));
  }

  /** A chat message (ONE_CHAT or GROUP_CHAT) with this text. */
  public static Predicate<JsonObject> chat(String text) {
    return m -> (m.getInteger("msgid") == 6 || m.getInteger("msgid") == 10) && text.equals(m.getString("msg"));
  }

  /** Asserts the message is a SOCIAL event with these fields ({@code groupid} null: none). */
  public static void assertSocial(JsonObject m, String event, long id, String name, Long groupid) {
    assertEquals(44, m.getInteger("msgid"), m::encode);
    assertEquals(event, m.getString("event"), m::encode);
    assertEquals(id, m.getLong("id"), m::encode);
    if (name != null) {
      assertEquals(name, m.getString("name"), m::encode);
    }
    assertEquals(groupid, m.getLong("groupid"), m::encode);
  }
}
