package chat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether each receiving connection gets each conversation's messages as PROTOCOL.md v2 promises
 * a live session: {@code cseq} strictly increasing with no gap. A connection's first message of a
 * conversation sets where it starts; from then on each must be the previous one plus one. Messages
 * without {@code cseq} (a legacy session, a server without conversations) are counted, not checked.
 * One {@link Check} per connection, used on its loop; the counts are shared.
 */
final class CseqOrder {
  private final LongAdder checked = new LongAdder();
  private final LongAdder withoutCseq = new LongAdder();
  private final LongAdder gaps = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final LongAdder backwards = new LongAdder();

  /** The check of one connection (conversation → last cseq seen). */
  final class Check implements BenchConnection.Pushes {
    private final Map<String, Long> last = new HashMap<>(4);

    @Override
    public void pushed(ObjectNode message) {
      JsonNode conv = message.get("conv");
      JsonNode cseq = message.get("cseq");
      if (conv == null || cseq == null || !conv.isTextual() || !cseq.canConvertToLong()) {
        withoutCseq.increment();
        return;
      }
      checked.increment();
      long n = cseq.asLong();
      Long before = last.get(conv.textValue());
      if (before != null && n != before + 1) {
        if (n <= before) {
          backwards.increment();
          return;
        }
        gaps.increment();
        skipped.add(n - before - 1);
      }
      last.put(conv.textValue(), n);
    }
  }

  Check check() {
    return new Check();
  }

  /** A gap-free, strictly increasing stream per receiver and conversation has gaps = backwards = 0. */
  JsonObject figures() {
    return new JsonObject()
        .put("checked", checked.sum())
        .put("withoutCseq", withoutCseq.sum())
        .put("gaps", gaps.sum())
        .put("skipped", skipped.sum())
        .put("backwards", backwards.sum());
  }
}
