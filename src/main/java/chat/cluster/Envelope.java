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
 * S &lt;count&gt;\n(&lt;user ids&gt; &lt;sender&gt; &lt;origin&gt; &lt;cap&gt;\n&lt;signal JSON&gt;\n)…
 * </pre>
 * A probe ({@code P}) is what a node publishes to its own channel to check that it is subscribed
 * where Redis publishes; the subscriber ignores it. Signals ({@code S}: receipts, typing, presence,
 * social events) travel several to an envelope and are answered by nobody: they are not kept, so
 * nobody needs to know who missed them. (A JSON text as the server writes it holds no newline.)
 */
record Envelope(char kind, String deliveryId, String replyTo, List<Long> userIds, Relayed message,
                List<RemoteNodes.Signal> signals) {
  static final char MESSAGE = 'M';
  static final char REPLY = 'R';
  static final char PROBE = 'P';
  static final char SIGNALS = 'S';

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

  static String signals(List<RemoteNodes.Signal> signals) {
    StringBuilder sb = new StringBuilder().append(SIGNALS).append(' ').append(signals.size());
    for (RemoteNodes.Signal s : signals) {
      Relayed m = s.message();
      sb.append('\n').append(ids(s.userIds())).append(' ').append(m.sender()).append(' ').append(orDash(m.origin()))
          .append(' ').append(orDash(m.cap())).append('\n').append(m.json());
    }
    return sb.toString();
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
            Long.parseLong(f[6]), dashIsNull(f[7]), dashIsNull(f[8]), text.substring(nl + 1)), List.of());
      }
      case REPLY -> new Envelope(REPLY, f[1], null, parseIds(f.length > 2 ? f[2] : "-"), null, List.of());
      case PROBE -> new Envelope(PROBE, null, null, List.of(), null, List.of());
      case SIGNALS -> new Envelope(SIGNALS, null, null, List.of(), null, parseSignals(Integer.parseInt(f[1]), text));
      default -> throw new IllegalArgumentException("unknown envelope " + f[0]);
    };
  }

  /** The {@code count} signals after the head line: two lines each. */
  private static List<RemoteNodes.Signal> parseSignals(int count, String text) {
    String[] lines = text.split("\n", -1);
    if (count < 0 || lines.length != 1 + 2 * count) {
      throw new IllegalArgumentException("bad signals envelope");
    }
    List<RemoteNodes.Signal> signals = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String[] f = lines[1 + 2 * i].split(" ");
      if (f.length != 4) {
        throw new IllegalArgumentException("bad signal");
      }
      signals.add(new RemoteNodes.Signal(parseIds(f[0]), new Relayed(null, 0, Long.parseLong(f[1]), dashIsNull(f[2]),
          dashIsNull(f[3]), lines[2 + 2 * i])));
    }
    return signals;
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
