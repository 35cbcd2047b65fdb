package chat.service;

import chat.testing.NodeTestBase;
import chat.testing.TestClient;
import chat.testing.V2;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Names are one name regardless of case and of Unicode compatibility forms (their NFKC_Casefold
 * forms are compared), kept and shown as typed; a v2 LOGIN may name the user instead of giving
 * the id, matched the same way.
 */
class NamesTest extends NodeTestBase {

  @Test
  void variantsOfATakenNameInCaseWidthOrSharpSAreRefused() {
    TestClient c = client();
    String alice = TestClient.uniqueName("Alice");
    c.register(alice, "pw");
    for (String variant : List.of(alice.toLowerCase(), alice.toUpperCase(), fullWidth(alice),
        fullWidth(alice.toLowerCase()), "A\u200Blice" + alice.substring(5))) {
      assertEquals(1, reg(c, variant).getInteger("errno"), variant);
    }
    String strasse = TestClient.uniqueName("straße");
    c.register(strasse, "pw");
    for (String variant : List.of(strasse.replace("straße", "STRASSE"), strasse.replace("straße", "strasse"),
        strasse.replace("straße", "Straße"), fullWidth(strasse.replace("straße", "STRASSE")))) {
      JsonObject ack = reg(c, variant);
      assertEquals(1, ack.getInteger("errno"), variant);
      assertTrue(ack.getString("errmsg").contains("taken"), ack::encode);
    }
    // another name is still free
    assertEquals(0, reg(c, alice + "2").getInteger("errno"));
  }

  @Test
  void aNameThatShowsNothingIsRefused() {
    JsonObject ack = reg(client(), "\u200B\u200D");
    assertEquals(102, ack.getInteger("errno"), ack::encode);
  }

  @Test
  void aNameIsKeptAndShownAsTyped() {
    TestClient c = client();
    String name = TestClient.uniqueName("ÀlIcE Ｌiddell");
    long id = c.register(name, "pw");
    assertEquals(name, c.login(id, "pw").getString("name"));
    JsonArray found = V2.find(c, name.toUpperCase()).getJsonArray("users");
    assertEquals(1, found.size(), found::encode);
    assertEquals(name, found.getJsonObject(0).getString("name"));
  }

  @Test
  void loginByNameInAnyCaseOrWidthTellsTheId() {
    String name = TestClient.uniqueName("Li Si");
    long id = client().register(name, "pw");
    for (String typed : List.of(name, name.toLowerCase(), name.toUpperCase(), fullWidth(name))) {
      TestClient c = client();
      JsonObject ack = nameLogin(c, typed, "pw");
      assertEquals(0, ack.getInteger("errno"), () -> typed + ": " + ack.encode());
      assertEquals(id, ack.getLong("id"));
      assertEquals(name, ack.getString("name"), "the name as typed at registration");
      assertTrue(ack.getString("token").length() >= 22, "a v2 session gets a token");
      // a token logs in by id only; then the session is that user's like any other
      c.send(new JsonObject().put("msgid", 3).put("seq", "bye"));
      c.expect(15);
      c.close();
    }
  }

  @Test
  void anUnknownNameOrAWrongPasswordByNameIsAnsweredLikeAWrongPassword() {
    TestClient c = client();
    String name = TestClient.uniqueName("wang wu");
    long id = c.register(name, "right");
    JsonObject byId = c.login(id, "wrong");
    for (JsonObject ack : List.of(nameLogin(c, name, "wrong"), nameLogin(c, TestClient.uniqueName("nobody"), "right"),
        nameLogin(c, fullWidth(name) + "x", "right"))) {
      assertEquals(1, ack.getInteger("errno"), ack::encode);
      assertEquals(byId.getString("errmsg"), ack.getString("errmsg"));
      assertEquals("id or password is invalid!", ack.getString("errmsg"));
      assertEquals(byId.fieldNames(), ack.fieldNames(), "the same fields: " + ack.encode());
    }
    // a lone surrogate is no name anyone holds (MariaDB would read it as '?')
    String question = TestClient.uniqueName("ls?x");
    c.register(question, "pw");
    c.sendRaw("{\"msgid\":1,\"name\":\"" + question.replace("?", "\\ud800") + "\",\"password\":\"pw\",\"seq\":1}\n");
    assertEquals(1, c.expect(2).getInteger("errno"));
    // a name with a token (tokens are for ids) is invalid too, and the connection still logs in
    c.send(new JsonObject().put("msgid", 1).put("name", name).put("token", "whatever").put("seq", 1));
    assertEquals(1, c.expect(2).getInteger("errno"));
    assertEquals(0, nameLogin(c, name, "right").getInteger("errno"));
  }

  @Test
  void anUnknownNameTakesAboutAsLongAsAWrongPassword() {
    TestClient c = client();
    String name = TestClient.uniqueName("timed");
    c.register(name, "right");
    // alternately, so that a busy moment of the machine falls on both; the default hash cost
    List<Long> wrong = new ArrayList<>();
    List<Long> unknown = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      wrong.add(timed(() -> assertEquals(1, nameLogin(c, name, "wrong").getInteger("errno"))));
      unknown.add(timed(() -> assertEquals(1, nameLogin(c, TestClient.uniqueName("nobody"), "wrong").getInteger("errno"))));
    }
    long wrongMedian = median(wrong);
    long unknownMedian = median(unknown);
    // without the decoy hash an unknown name would be answered after one indexed read: ~1 ms
    // against tens of ms
    assertTrue(unknownMedian * 2 > wrongMedian && wrongMedian * 2 > unknownMedian,
        "medians: wrong password " + wrongMedian + " µs, unknown name " + unknownMedian + " µs");
  }

  private static long timed(Runnable login) {
    long start = System.nanoTime();
    login.run();
    return (System.nanoTime() - start) / 1000;
  }

  private static long median(List<Long> micros) {
    List<Long> sorted = new ArrayList<>(micros);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  @Test
  void findUserMatchesTheFoldedPrefix() {
    TestClient c = client();
    String tag = TestClient.uniqueName("x").substring(2);
    long zoe = c.register("Zoë " + tag, "pw");
    long strasse = c.register("Straße " + tag, "pw");
    c.login(zoe, "pw");
    assertEquals(List.of(zoe), ids(V2.find(c, "ZOË " + tag)));
    assertEquals(List.of(zoe), ids(V2.find(c, fullWidth("zo") + "ë")));
    assertEquals(List.of(strasse), ids(V2.find(c, "STRASSE " + tag)));
    assertEquals(List.of(strasse), ids(V2.find(c, "strass")));
  }

  @Test
  void concurrentRegistrationsOfOneNameOnOneNodeLetExactlyOneIn() {
    for (int round = 0; round < 5; round++) {
      String name = TestClient.uniqueName("Race");
      List<String> variants = List.of(name, name.toUpperCase(), name.toLowerCase(), fullWidth(name));
      List<TestClient> clients = new ArrayList<>();
      for (String v : variants) {
        TestClient c = client();
        clients.add(c);
        c.send(new JsonObject().put("msgid", 4).put("name", v).put("password", "pw").put("seq", 1));
      }
      int succeeded = 0;
      for (TestClient c : clients) {
        JsonObject ack = c.expect(5);
        succeeded += ack.getInteger("errno") == 0 ? 1 : 0;
      }
      assertEquals(1, succeeded, "round " + round);
    }
  }

  /** The full-width forms of the ASCII letters, digits and signs in {@code s}. */
  static String fullWidth(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().forEach(c -> out.appendCodePoint(c > ' ' && c <= '~' ? c - 0x21 + 0xFF01 : c));
    return out.toString();
  }

  private static JsonObject reg(TestClient c, String name) {
    c.send(new JsonObject().put("msgid", 4).put("name", name).put("password", "pw").put("seq", "reg"));
    return c.expect(5);
  }

  /** A v2 LOGIN by name. */
  static JsonObject nameLogin(TestClient c, String name, String password) {
    c.send(new JsonObject().put("msgid", 1).put("name", name).put("password", password).put("seq", "login"));
    return c.expect(2);
  }

  private static List<Long> ids(JsonObject findAck) {
    List<Long> ids = new ArrayList<>();
    findAck.getJsonArray("users").forEach(u -> ids.add(((JsonObject) u).getLong("id")));
    return ids;
  }
}
