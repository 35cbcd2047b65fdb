package chat.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** A run's result: printed as a two-column table and written as a JSON file. */
final class Report {
  private Report() {
  }

  static void emit(JsonObject result, Path out) {
    System.out.println(table(result));
    if (out != null) {
      try {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(out, result.encodePrettily() + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      System.out.println("written to " + out);
    }
  }

  static String table(JsonObject result) {
    StringBuilder out = new StringBuilder();
    String rule = "-".repeat(58) + "\n";
    out.append(rule);
    rows(out, "", result);
    out.append(rule);
    return out.toString();
  }

  private static void rows(StringBuilder out, String prefix, JsonObject json) {
    for (Map.Entry<String, Object> e : json) {
      String key = prefix + e.getKey();
      if (e.getValue() instanceof JsonObject sub && key.endsWith("Micros")) {
        out.append(String.format(Locale.ROOT, "%-34s p50 %s  p90 %s  p99 %s  p99.9 %s  max %s ms (n=%d)%n",
            key.replace("Micros", " (ms)"), ms(sub, "p50"), ms(sub, "p90"), ms(sub, "p99"), ms(sub, "p999"),
            ms(sub, "max"), sub.getLong("count", 0L)));
      } else if (e.getValue() instanceof JsonObject sub) {
        rows(out, key + ".", sub);
      } else {
        out.append(String.format(Locale.ROOT, "%-34s %s%n", key, e.getValue()));
      }
    }
  }

  private static String ms(JsonObject latency, String key) {
    Long micros = latency.getLong(key);
    return micros == null || latency.getLong("count", 0L) == 0 ? "-" : String.format(Locale.ROOT, "%.2f", micros / 1000.0);
  }
}
