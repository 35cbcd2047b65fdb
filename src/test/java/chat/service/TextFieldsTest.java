package chat.service;

import chat.testing.NodeTestBase;
import chat.testing.TestClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text fields are limited in code points and kept exactly as sent, on both stores: a value the
 * service accepts is stored whole (never 503), a value it refuses is 102 or 108.
 */
class TextFieldsTest extends NodeTestBase {
  /** Four bytes of UTF-8, two UTF-16 units, one character. */
  private static final String EMOJI = "\ud83d\ude00";
  private static final int BIG_TEXT_CHARS = 1_000_000;
  private static final int MAX_FRAME_BYTES = 8 * 1024 * 1024;

  @Override
  protected JsonObject overrides() {
    return new JsonObject().put("limits", new JsonObject()
        .put("maxFrameBytes", MAX_FRAME_BYTES).put("maxTextChars", BIG_TEXT_CHARS));
  }

  @Test
  void aNameOfTheLongestAllowedEmojiIsRegisteredWholeAndOneMoreIs102() {
    TestClient c = client();
    String name = EMOJI.repeat(AccountService.MAX_NAME_CHARS);
    long id = c.register(name, "pw");
    assertEquals(name, c.login(id, "pw").getString("name"));
    c.send(new JsonObject().put("msgid", 4).put("name", EMOJI.repeat(AccountService.MAX_NAME_CHARS + 1))
        .put("password", "pw").put("seq", 1));
    assertEquals(4, c.expectRefused(5, 102).getInteger("re"));
  }

  @Test
  void aGroupOfTheLongestAllowedEmojiNameAndDescriptionIsCreatedWhole() {
    TestClient c = client();
    long id = c.registerAndLogin("grouper");
    String name = EMOJI.repeat(SocialService.MAX_GROUP_NAME_CHARS);
    String desc = EMOJI.repeat(SocialService.MAX_GROUP_DESC_CHARS);
    c.send(new JsonObject().put("msgid", 8).put("groupname", name).put("groupdesc", desc).put("seq", 1));
    JsonObject ack = c.expect(12);
    assertEquals(0, ack.getInteger("errno"), ack::encode);
    assertEquals(name, ack.getString("groupname"));
    c.send(new JsonObject().put("msgid", 8).put("groupname", name + EMOJI).put("groupdesc", "d").put("seq", 2));
    assertEquals(102, c.expectError(102).getInteger("errno"));
    c.send(new JsonObject().put("msgid", 8).put("groupname", "g").put("groupdesc", desc + EMOJI).put("seq", 3));
    c.expectError(102);

    c.send(new JsonObject().put("msgid", 3).put("seq", 4));
    c.expect(15);
    JsonObject group = new JsonObject(c.login(id, "pw-grouper").getJsonArray("groups").getString(0));
    assertEquals(name, group.getString("groupname"));
    assertEquals(desc, group.getString("groupdesc"));
  }

  @Test
  void theLongestAllowedEmojiMessageIsStoredWholeForAnOfflineUser() {
    TestClient sender = client();
    sender.registerAndLogin("sender");
    TestClient setup = client();
    long to = setup.register(TestClient.uniqueName("away"), "pw");
    String text = EMOJI.repeat(BIG_TEXT_CHARS);
    sender.chat(to, text, 1);
    JsonObject ack = sender.expect(14);
    assertEquals("stored", ack.getString("status"), ack::encode);
    sender.chat(to, text + EMOJI, 2);
    sender.expectError(108);

    JsonObject login = setup.login(to, "pw");
    assertEquals(1, login.getJsonArray("offlinemsg").size());
    assertEquals(text, new JsonObject(login.getJsonArray("offlinemsg").getString(0)).getString("msg"));
  }

  @Test
  void aFrameOfTheLargestAllowedSizeIsStoredWholeForAnOfflineUser() {
    TestClient sender = client();
    sender.registerAndLogin("sender");
    TestClient setup = client();
    long to = setup.register(TestClient.uniqueName("away"), "pw");
    String head = "{\"msgid\":6,\"toid\":" + to + ",\"msg\":\"m\",\"seq\":1,\"pad\":\"";
    // an extension field is relayed as sent: here four bytes of UTF-8 for each of its characters
    String pad = EMOJI.repeat((MAX_FRAME_BYTES - head.length() - 2) / 4);
    sender.sendRaw(head + pad + "\"}");
    JsonObject ack = sender.expect(14);
    assertEquals("stored", ack.getString("status"), ack::encode);

    JsonObject login = setup.login(to, "pw");
    assertEquals(pad, new JsonObject(login.getJsonArray("offlinemsg").getString(0)).getString("pad"));
  }

  @Test
  void loneSurrogatesAreRefusedInEveryStoredOrForwardedText() {
    TestClient c = client();
    // sent as JSON escapes: no UTF-8 encoder would let a lone surrogate through
    for (String name : List.of("ls\\ud800x", "ls\\udbffx", "x\\ude00", "\\ude00\\ud83dy", "end\\ud83d")) {
      c.sendRaw("{\"msgid\":4,\"name\":\"" + name + "\",\"password\":\"pw\",\"seq\":1}\0");
      JsonObject ack = c.expectRefused(5, 102);
      assertTrue(ack.getString("errmsg").contains("surrogate"), ack::encode);
    }
    c.sendRaw("{\"msgid\":4,\"name\":\"ok\",\"password\":\"p\\ud800w\"}\0");
    c.expectRefused(5, 102);
    assertTrue(c.register("ls\ud83d\ude00x", "pw") > 0, "a whole pair is fine");

    TestClient alice = client();
    alice.registerAndLogin("alice");
    long bob = c.register(TestClient.uniqueName("bob"), "pw");
    List<String> bad = List.of(
        "{\"msgid\":8,\"groupname\":\"g\\ud800\",\"groupdesc\":\"d\"}",
        "{\"msgid\":8,\"groupname\":\"g\",\"groupdesc\":\"d\\udfff\"}",
        "{\"msgid\":6,\"toid\":" + bob + ",\"msg\":\"hi \\ud800\"}",
        "{\"msgid\":10,\"groupid\":1,\"msg\":\"\\udc00\"}");
    for (String request : bad) {
      alice.sendRaw(request + "\0");
      JsonObject err = alice.expectError(102);
      assertTrue(err.getString("errmsg").contains("surrogate"), err::encode);
    }
    assertEquals(0, c.login(bob, "pw").getJsonArray("offlinemsg").size(), "nothing was stored for bob");
  }

  @Test
  void aNameMayNotBeginOrEndWithWhiteSpaceSoBobAndBobSpaceNeverCollide() {
    TestClient c = client();
    c.register("bob", "pw");
    for (String name : List.of("bob ", " bob", "bob\t", "\u00a0bob", "bob\u3000", " ")) {
      c.send(new JsonObject().put("msgid", 4).put("name", name).put("password", "pw").put("seq", 1));
      JsonObject ack = c.expectRefused(5, 102);
      assertTrue(ack.getString("errmsg").contains("white space"), ack::encode);
    }
    assertTrue(c.register("bob  the builder", "pw") > 0, "spaces inside a name are kept");
  }
}
