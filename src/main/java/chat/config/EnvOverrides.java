package chat.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Maps environment variables onto configuration keys: {@code CHAT_} then the key path in upper
 * snake case, e.g. {@code CHAT_PORTS=6000,6002}, {@code CHAT_STORE_HOST=db},
 * {@code CHAT_LIMITS_MAX_FRAME_BYTES=1024}, {@code CHAT_NODE_ID=a}. Values take the type of the default.
 */
final class EnvOverrides {
  static final String PREFIX = "CHAT";

  private EnvOverrides() {
  }

  static void apply(JsonObject config, Map<String, String> env) {
    Set<String> known = new HashSet<>();
    apply(config, env, PREFIX, known);
    for (String name : env.keySet()) {
      if (name.startsWith(PREFIX + "_") && !known.contains(name)) {
        throw new IllegalArgumentException("unknown environment variable " + name + ": not a configuration key"
            + Suggest.didYouMean(name, known));
      }
    }
  }

  /** The variable of a full key path, e.g. {@code store.poolSize -> CHAT_STORE_POOL_SIZE}. */
  static String variable(String path) {
    String name = PREFIX;
    for (String key : path.split("\\.")) {
      name = variable(name, key);
    }
    return name;
  }

  /** The variable of one key below a prefix, e.g. {@code CHAT_STORE + poolSize -> CHAT_STORE_POOL_SIZE}. */
  static String variable(String prefix, String key) {
    return prefix + "_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
  }

  private static void apply(JsonObject section, Map<String, String> env, String prefix, Set<String> known) {
    for (String key : section.fieldNames()) {
      String name = variable(prefix, key);
      Object current = section.getValue(key);
      if (current instanceof JsonObject sub) {
        apply(sub, env, name, known);
        continue;
      }
      known.add(name);
      String raw = env.get(name);
      if (raw == null) {
        continue;
      }
      section.put(key, convert(name, raw.trim(), current));
    }
  }

  private static Object convert(String name, String raw, Object template) {
    try {
      if (template instanceof JsonArray array) {
        boolean numbers = !array.isEmpty() && array.getValue(0) instanceof Number;
        JsonArray out = new JsonArray();
        for (String part : raw.split(",")) {
          if (!part.isBlank()) {
            out.add(numbers ? (Object) Integer.parseInt(part.trim()) : part.trim());
          }
        }
        return out;
      }
      if (template instanceof Boolean) {
        if (!raw.equals("true") && !raw.equals("false")) {
          throw new IllegalArgumentException("environment variable " + name + " must be true or false, not '" + raw + "'");
        }
        return Boolean.parseBoolean(raw);
      }
      if (template instanceof Number) {
        return Integer.parseInt(raw);
      }
      return raw;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("environment variable " + name + " must be a number, not '" + raw + "'");
    }
  }
}
