package chat.service;

import chat.testing.NodeTestBase;
import chat.testing.TestClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
