package chat.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Typed, validating access to one configuration section; errors name the full key. */
final class Reader {
  private final JsonObject json;
  private final String prefix;

  Reader(JsonObject json) {
    this(json, "");
  }

  private Reader(JsonObject json, String prefix) {
    this.json = json;
    this.prefix = prefix;
  }

  Reader section(String key) {
    return new Reader(json.getJsonObject(key), prefix + key + ".");
  }

  String string(String key) {
    Object v = json.getValue(key);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("'" + prefix + key + "' must be a string");
    }
    return s;
  }

  Object value(String key) {
    return json.getValue(key);
  }

  boolean bool(String key) {
    Object v = json.getValue(key);
    if (!(v instanceof Boolean b)) {
      throw new IllegalArgumentException("'" + prefix + key + "' must be true or false");
    }
    return b;
  }

  java.util.List<String> strings(String key) {
    JsonArray a = array(key);
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (!(a.getValue(i) instanceof String s)) {
        throw new IllegalArgumentException("'" + prefix + key + "[" + i + "]' must be a string");
      }
      out.add(s);
    }
    return java.util.List.copyOf(out);
  }

  JsonArray array(String key) {
    Object v = json.getValue(key);
    if (!(v instanceof JsonArray a)) {
      throw new IllegalArgumentException("'" + prefix + key + "' must be an array");
    }
    return a;
  }

  int intIn(String key, int min, int max) {
    return intIn(prefix + key, json.getValue(key), min, max);
  }

  <E extends Enum<E>> E choice(String key, Class<E> type) {
    String v = string(key);
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v)) {
        return e;
      }
    }
    throw new IllegalArgumentException("'" + prefix + key + "' must be one of "
        + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase() + ", not '" + v + "'");
  }

  static int port(String key, Object value) {
    return intIn(key, value, 0, 65535);
  }

  private static int intIn(String key, Object v, int min, int max) {
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new IllegalArgumentException("'" + key + "' must be an integer");
    }
    long l = n.longValue();
    if (l < min || l > max) {
      throw new IllegalArgumentException("'" + key + "' must be between " + min + " and " + max + ", not " + l);
    }
    return (int) l;
  }
}
