package chat.delivery;

import chat.protocol.Messages;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

/**
 * A forwarded message ready to go: its JSON text (what other nodes and the offline store get) and
 * the line a socket gets, built once for every recipient. Legacy sessions get the classic shape,
 * made only when one of them is among the recipients. Shared by every event loop, never changed.
 */
public final class Outbound {
  private final String json;
  private final Buffer line;
  private volatile Buffer legacyLine;

  private Outbound(String json, Buffer line) {
    this.json = json;
    this.line = line;
  }

  /** A message the server built. */
  public static Outbound of(ObjectNode message) {
    byte[] bytes = Messages.bytes(message);
    return new Outbound(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), Messages.line(bytes));
  }

  /** A message as relayed by another node or kept in the store: its JSON text. */
  public static Outbound parse(String json) {
    return new Outbound(json, Messages.line(json));
  }

  public String json() {
    return json;
  }

  /** The NDJSON line for a session: the classic shape for a legacy one. */
  public Buffer line(boolean legacy) {
    if (!legacy) {
      return line;
    }
    Buffer classic = legacyLine;
    if (classic == null) {
      classic = Messages.encode(Messages.legacy(Messages.parseObject(json)));
      legacyLine = classic;
    }
    return classic;
  }
}
