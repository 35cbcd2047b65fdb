package chat.bench;

import java.util.BitSet;

/**
 * Order and uniqueness of one sender's stream at one receiver: a bit per sequence number seen
 * (the whole run's messages fit in a few hundred KiB), and the highest seen so far.
 */
final class StreamCheck {
  enum Verdict { IN_ORDER, OUT_OF_ORDER, DUPLICATE }

  private final BitSet seen = new BitSet();
  private long highest = -1;

  Verdict accept(long seq) {
    int i = (int) seq;
    if (seen.get(i)) {
      return Verdict.DUPLICATE;
    }
    seen.set(i);
    if (seq < highest) {
      return Verdict.OUT_OF_ORDER;
    }
    highest = seq;
    return Verdict.IN_ORDER;
  }
}
