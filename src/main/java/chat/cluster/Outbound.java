package chat.cluster;

import io.vertx.core.buffer.Buffer;

/** A message ready to go: the JSON text the store keeps and the NDJSON line a socket gets. */
public record Outbound(String json, Buffer line) {
  public static Outbound of(String json) {
    return new Outbound(json, Buffer.buffer(json.length() + 1).appendString(json).appendByte((byte) '\n'));
  }
}
