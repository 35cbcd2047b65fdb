package chat.testing;

import io.vertx.core.json.JsonObject;

import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The requests of PROTOCOL.md's "Privacy and the message lifecycle (v2)" as tests send them: BLOCK,
 * UNBLOCK, EDIT, RECALL and chats that reply.
 */
public final class Lifecycle {
  /** Every cap, edits included. */
  public static final String[] CAPS = {"presence", "social", "receipts", "typing", "edits"};

  private Lifecycle() {
  }

  /** BLOCK, which must be acknowledged. */
  public static void block(TestClient c, long id) {
    c.send(new JsonObject().put("msgid", 51).put("id", id).put("seq", "block"));
    JsonObject ack = c.expect(52);
    assertEquals(0, ack.getInteger("errno"), ack::encode);
    assertEquals(id, ack.getLong("id"), ack::encode);
  }

  /** UNBLOCK, which must be acknowledged. */
  public static void unblock(TestClient c, long id) {
    c.send(new JsonObject().put("msgid", 53).put("id", id).put("seq", "unblock"));
    JsonObject ack = c.expect(54);
    assertEquals(0, ack.getInteger("errno"), ack::encode);
    assertEquals(id, ack.getLong("id"), ack::encode);
  }

  /** EDIT of message {@code target}; the next message (its CHAT_ACK or an ERROR). */
  public static JsonObject edit(TestClient c, String conv, long target, String text) {
    c.send(new JsonObject().put("msgid", 55).put("conv", conv).put("target", target).put("msg", text).put("seq", "edit"));
    return c.next();
  }

  /** RECALL of message {@code target}; the next message (its CHAT_ACK or an ERROR). */
  public static JsonObject recall(TestClient c, String conv, long target) {
    c.send(new JsonObject().put("msgid", 56).put("conv", conv).put("target", target).put("seq", "recall"));
    return c.next();
  }

  /** The CHAT_ACK of an EDIT or RECALL, which must have succeeded; its cseq. */
  public static long acked(JsonObject ack, int re) {
    assertEquals(14, ack.getInteger("msgid"), ack::encode);
    assertEquals(re, ack.getInteger("re"), ack::encode);
    return ack.getLong("cseq");
  }

  /** A ONE_CHAT replying to {@code reply} (any JSON value); its CHAT_ACK or ERROR. */
  public static JsonObject replyTo(TestClient c, long to, Object reply, String text) {
    c.send(new JsonObject().put("msgid", 6).put("toid", to).put("msg", text).put("reply", reply).put("seq", "reply"));
    return c.next();
  }

  /** A CHANGED push of this kind about message {@code target}. */
  public static Predicate<JsonObject> changed(String kind, long target) {
    return m -> m.getInteger("msgid") == 57 && kind.equals(m.getString("kind")) && m.getLong("target") == target;
  }
}
