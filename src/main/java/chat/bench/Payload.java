package chat.bench;

import io.vertx.core.buffer.Buffer;

/**
 * The bench's chat text, {@code bench:<run>:<stream>:<seq>:<nanos>[:padding]}: the receiver learns
 * which run sent it, who, in which order and when, from the one field every implementation
 * forwards unchanged. The run tag tells this run's messages from those an earlier run left stored
 * (a legacy session gets them pushed after its login, as ordinary chat messages).
 */
final class Payload {
  static final String PREFIX = "bench:";

  /** Fields of a parsed payload; reused by its connection to avoid an allocation per message. */
  int run;
  int stream;
  long seq;
  long sentNanos;
  private String text;
  private int cursor;

  private Payload() {
  }

  static Payload reusable() {
    return new Payload();
  }

  static void append(Buffer out, int run, int stream, long seq, long sentNanos, String padding) {
    out.appendString(PREFIX).appendString(Integer.toString(run)).appendByte((byte) ':')
        .appendString(Integer.toString(stream)).appendByte((byte) ':')
        .appendString(Long.toString(seq)).appendByte((byte) ':').appendString(Long.toString(sentNanos));
    if (!padding.isEmpty()) {
      out.appendByte((byte) ':').appendString(padding);
    }
  }

  /** Reads the payload of a chat message's {@code msg}; false when it carries none (null included). */
  boolean parse(String msg) {
    if (msg == null || !msg.startsWith(PREFIX)) {
      return false;
    }
    text = msg;
    cursor = PREFIX.length();
    long r = number();
    long s = number();
    long q = number();
    long t = number();
    text = null;
    if (r < 0 || r > Integer.MAX_VALUE || s < 0 || s > Integer.MAX_VALUE || q < 0 || t == Long.MIN_VALUE) {
      return false;
    }
    run = (int) r;
    stream = (int) s;
    seq = q;
    sentNanos = t;
    return true;
  }

  /** Digits (optionally negative: nanoTime may be) up to the next ':' or the end; advances past the ':'. */
  private long number() {
    int end = text.length();
    int i = cursor;
    boolean negative = i < end && text.charAt(i) == '-';
    if (negative) {
      i++;
    }
    long value = 0;
    int digits = 0;
    for (; i < end && digits < 18; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
      digits++;
    }
    if (digits == 0 || (i < end && text.charAt(i) != ':')) {
      return Long.MIN_VALUE;
    }
    cursor = i + 1;
    return negative ? -value : value;
  }
}
