package chat.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * What travels on a node's channel, as text: a first line saying what it is, then for deliveries
 * the message's JSON text ({@code -} stands for a missing conversation or capability).
 * <pre>
 * M &lt;delivery id&gt; &lt;reply channel incarnation&gt; &lt;user ids&gt; &lt;conv&gt; &lt;cseq&gt; &lt;sender&gt; &lt;origin&gt; &lt;cap&gt;\n&lt;message JSON&gt;
 * R &lt;delivery id&gt; &lt;user ids not delivered, or -&gt;
 * P -
 * </pre>
 * A probe ({@code P}) is what a node publishes to its own channel to check that it is subscribed
 * where Redis publishes; the subscriber ignores it.
 */
record Envelope(char kind, String deliveryId, String replyTo, List<Long> userIds, Relayed message) {
  static final char MESSAGE = 'M';
  static final char REPLY = 'R';
  static final char PROBE = 'P';

  static String message(String deliveryId, String replyTo, List<Long> userIds, Relayed m) {
    return MESSAGE + " " + deliveryId + " " + replyTo + " " + ids(userIds) + " " + orDash(m.conv()) + " " + m.cseq()
        + " " + m.sender() + " " + orDash(m.origin()) + " " + orDash(m.cap()) + "\n" + m.json();
  }

  static String reply(String deliveryId, List<Long> missed) {
    return REPLY + " " + deliveryId + " " + ids(missed);
  }

  static String probe() {
    return PROBE + " -";
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
        if (f.length != 9 || nl < 0) {
          throw new IllegalArgumentException("bad message envelope");
        }
        yield new Envelope(MESSAGE, f[1], f[2], parseIds(f[3]), new Relayed(dashIsNull(f[4]), Long.parseLong(f[5]),
            Long.parseLong(f[6]), dashIsNull(f[7]), dashIsNull(f[8]), text.substring(nl + 1)));
      }
      case REPLY -> new Envelope(REPLY, f[1], null, parseIds(f.length > 2 ? f[2] : "-"), null);
      case PROBE -> new Envelope(PROBE, null, null, List.of(), null);
      default -> throw new IllegalArgumentException("unknown envelope " + f[0]);
    };
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }

  private static String dashIsNull(String field) {
    return field.equals("-") ? null : field;
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
