package chat.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * What travels on a node's channel, as text: a first line saying what it is, then for deliveries
 * the message's JSON text.
 * <pre>
 * M &lt;delivery id&gt; &lt;reply channel incarnation&gt; &lt;user ids&gt;\n&lt;message JSON&gt;
 * R &lt;delivery id&gt; &lt;user ids not delivered, or -&gt;
 * D &lt;user ids with stored messages to drain&gt;
 * </pre>
 */
record Envelope(char kind, String deliveryId, String replyTo, List<Long> userIds, String json) {
  static final char MESSAGE = 'M';
  static final char REPLY = 'R';
  static final char DRAIN = 'D';

  static String message(String deliveryId, String replyTo, List<Long> userIds, String json) {
    return MESSAGE + " " + deliveryId + " " + replyTo + " " + ids(userIds) + "\n" + json;
  }

  static String reply(String deliveryId, List<Long> missed) {
    return REPLY + " " + deliveryId + " " + ids(missed);
  }

  static String drain(List<Long> userIds) {
    return DRAIN + " " + ids(userIds);
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
      case MESSAGE -> {
        if (f.length != 4 || nl < 0) {
          throw new IllegalArgumentException("bad message envelope");
        }
        yield new Envelope(MESSAGE, f[1], f[2], parseIds(f[3]), text.substring(nl + 1));
      }
      case REPLY -> new Envelope(REPLY, f[1], null, parseIds(f.length > 2 ? f[2] : "-"), null);
      case DRAIN -> new Envelope(DRAIN, null, null, parseIds(f[1]), null);
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
