package chat.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/** Every message the server writes, built in one place so that all replies look alike. */
public final class Messages {
  // characters beyond the BMP as their four bytes of UTF-8, not as two escapes of six bytes each:
  // a stored message stays within its frame's size plus its envelope
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .build();
  private static final ObjectWriter WRITER = MAPPER.writer();
  private static final byte NEWLINE = '\n';
  private static final List<String> LEGACY_FIELDS = List.of("msgid", "id", "name", "toid", "groupid", "msg", "time");

  private Messages() {
  }

  public static ObjectNode object(int msgid) {
    return MAPPER.createObjectNode().put("msgid", msgid);
  }

  /** One NDJSON line. */
  public static Buffer encode(JsonNode message) {
    return line(bytes(message));
  }

  /** The NDJSON line of a serialized JSON object (UTF-8, without newline). */
  public static Buffer line(byte[] json) {
    return Buffer.buffer(json.length + 1).appendBytes(json).appendByte(NEWLINE);
  }

  /** The NDJSON line of a JSON object's text. */
  public static Buffer line(String json) {
    return line(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A forwarded chat message in the classic server's shape, for legacy sessions: only the fields
   * the classic client knows ({@code msgid}, {@code id}, {@code name}, {@code toid} or
   * {@code groupid}, {@code msg}, {@code time}).
   */
  public static ObjectNode legacy(ObjectNode forwarded) {
    ObjectNode classic = MAPPER.createObjectNode();
    for (String field : LEGACY_FIELDS) {
      JsonNode value = forwarded.get(field);
      if (value != null) {
        classic.set(field, value);
      }
    }
    return classic;
  }

  /** The UTF-8 JSON text of a message, without a newline. */
  public static byte[] bytes(JsonNode message) {
    try {
      return WRITER.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JSON text of a node, as the legacy arrays of strings hold them. */
  public static String text(JsonNode node) {
    return node.toString();
  }

  /**
   * A stored message, read by a {@link Framer} as it was read from its sender, so that it is sent on
   * exactly as a live one would be (numbers such as {@code 1E2} included).
   */
  public static ObjectNode parseObject(String json) {
    ObjectNode[] parsed = new ObjectNode[1];
    new Framer(Integer.MAX_VALUE, new Framer.Sink() {
      @Override
      public void frame(ObjectNode frame) {
        parsed[0] = frame;
      }

      @Override
      public void fail(ErrorCode code, String reason) {
        throw new IllegalStateException("stored message is not a JSON object: " + reason);
      }
    }).handle(Buffer.buffer(json));
    if (parsed[0] == null) {
      throw new IllegalStateException("stored message is not a JSON object");
    }
    return parsed[0];
  }

  /** An ERROR not caused by any one request (bad framing, a refused connection). */
  public static ObjectNode error(ErrorCode code, String errmsg) {
    return object(MsgId.ERROR).put("errno", code.errno).put("errmsg", errmsg);
  }

  /**
   * The answer to a refused request: ERROR with {@code re} (the request's msgid, null when it had
   * none) and its seq, except for LOGIN and REG, which are always answered by their own ack (the
   * legacy client waits for exactly that msgid) carrying the code as errno.
   */
  public static ObjectNode rejection(ErrorCode code, String errmsg, Integer re, JsonNode seq) {
    int msgid = re == null ? MsgId.ERROR : switch (re) {
      case MsgId.LOGIN -> MsgId.LOGIN_ACK;
      case MsgId.REG -> MsgId.REG_ACK;
      default -> MsgId.ERROR;
    };
    ObjectNode m = object(msgid).put("errno", code.errno).put("errmsg", errmsg);
    if (re != null) {
      m.put("re", re);
    }
    return withSeq(m, seq);
  }

  public static ObjectNode withSeq(ObjectNode message, JsonNode seq) {
    if (seq != null) {
      message.set("seq", seq);
    }
    return message;
  }

  /** An ack with errno 0 and the request's seq. */
  public static ObjectNode ack(int msgid, JsonNode seq) {
    return withSeq(object(msgid).put("errno", 0), seq);
  }

  /**
   * An ack saying no in the request's own terms (a wrong password, a taken name, an account in use):
   * the codes of PROTOCOL.md's acks, not ERROR's.
   */
  public static ObjectNode refused(int msgid, int errno, String errmsg, JsonNode seq) {
    return withSeq(object(msgid).put("errno", errno).put("errmsg", errmsg), seq);
  }

  /**
   * A successful LOGIN_MSG_ACK with an empty {@code offlinemsg} for the caller to fill; without
   * {@code token} when it is null (a legacy session gets none).
   */
  public static ObjectNode loginOk(long id, String name, List<String> friends, List<String> groups, String token,
                                   JsonNode seq) {
    ObjectNode m = object(MsgId.LOGIN_ACK).put("errno", 0).put("id", id).put("name", name);
    strings(m.putArray("friends"), friends);
    strings(m.putArray("groups"), groups);
    m.putArray("offlinemsg");
    if (token != null) {
      m.put("token", token);
    }
    return withSeq(m, seq);
  }

  /** The JSON text of one {@code friends} entry, or a group member without its role. */
  public static ObjectNode userEntry(long id, String name, boolean online) {
    return MAPPER.createObjectNode().put("id", id).put("name", name).put("state", online ? "online" : "offline");
  }

  public static ObjectNode groupEntry(long id, String name, String desc, List<String> users) {
    ObjectNode g = MAPPER.createObjectNode().put("id", id).put("groupname", name).put("groupdesc", desc);
    strings(g.putArray("users"), users);
    return g;
  }

  /** Adds the {@code blocked} list of a v2 LOGIN_MSG_ACK or CARD_ACK: the ids the user blocks, ascending. */
  public static ObjectNode blocked(ObjectNode message, Collection<Long> ids) {
    ArrayNode list = message.putArray("blocked");
    ids.stream().sorted().forEach(list::add);
    return message;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
