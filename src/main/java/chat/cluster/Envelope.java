package chat.cluster;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * What travels on a node's channel, as text: a first line saying what it is, then for deliveries
 * the NDJSON line to write to the recipients' sockets.
 * <pre>
 * D &lt;delivery id&gt; &lt;reply channel incarnation&gt; &lt;user ids&gt;\n&lt;message line&gt;
 * R &lt;delivery id&gt; &lt;user ids not delivered, or -&gt;
 * N &lt;user ids with new offline messages&gt;
 * </pre>
 */
record Envelope(char kind, String deliveryId, String replyTo, List<Long> userIds, Buffer line) {
  static final char DELIVERY = 'D';
  static final char REPLY = 'R';
  static final char NOTICE = 'N';

  static String delivery(String deliveryId, String replyTo, List<Long> userIds, Outbound message) {
    return "D " + deliveryId + " " + replyTo + " " + ids(userIds) + "\n" + message.json();
  }

  static String reply(String deliveryId, List<Long> missed) {
    return "R " + deliveryId + " " + ids(missed);
  }

  static String notice(List<Long> userIds) {
    return "N " + ids(userIds);
  }

  /** Parses an envelope; throws IllegalArgumentException for anything else. */
  static Envelope parse(String text) {
    int nl = text.indexOf('\n');
    String head = nl < 0 ? text : text.substring(0, nl);
    String[] f = head.split(" ");
    if (f.length < 2 || f[0].length() != 1) {
      throw new IllegalArgumentException("not an envelope");
    }
    return switch (f[0].charAt(0)) {
      case DELIVERY -> {
        if (f.length != 4 || nl < 0) {
          throw new IllegalArgumentException("bad delivery");
        }
        String json = text.substring(nl + 1);
        yield new Envelope(DELIVERY, f[1], f[2], parseIds(f[3]),
            Buffer.buffer(json.length() + 1).appendString(json).appendByte((byte) '\n'));
      }
      case REPLY -> new Envelope(REPLY, f[1], null, parseIds(f.length > 2 ? f[2] : "-"), null);
      case NOTICE -> new Envelope(NOTICE, null, null, parseIds(f[1]), null);
      default -> throw new IllegalArgumentException("unknown envelope " + f[0]);
    };
  }

  private static String ids(List<Long> ids) {
    if (ids.isEmpty()) {
      return "-";
    }
    StringBuilder sb = new StringBuilder();
    for (long id : ids) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(id);
    }
    return sb.toString();
  }

  private static List<Long> parseIds(String s) {
    List<Long> out = new ArrayList<>();
    if (!s.equals("-")) {
      for (String part : s.split(",")) {
        out.add(Long.parseLong(part));
      }
    }
    return out;
  }
}
