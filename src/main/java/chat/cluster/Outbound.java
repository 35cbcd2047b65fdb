package chat.cluster;

import io.vertx.core.buffer.Buffer;

/**
 * A message ready to go: the NDJSON line a socket gets, built once for every recipient; the JSON
 * text the offline store keeps is made only when something is stored.
 */
public final class Outbound {
  private final Buffer line;
  private String json;

  private Outbound(Buffer line, String json) {
    this.line = line;
    this.json = json;
  }

  /** From the serialized JSON object, without its newline. */
  public static Outbound of(byte[] json) {
    return new Outbound(Buffer.buffer(json.length + 1).appendBytes(json).appendByte((byte) '\n'), null);
  }

  public Buffer line() {
    return line;
  }

  public String json() {
    if (json == null) {
      json = line.getString(0, line.length() - 1);
    }
    return json;
  }
}
