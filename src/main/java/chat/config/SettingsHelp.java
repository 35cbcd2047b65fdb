package chat.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.stream.Collectors;

/** The common settings as {@code --help} shows them: variable, key and default come from the configuration itself. */
public final class SettingsHelp {
  private record Row(String key, String meaning, String shownDefault) {
    Row(String key, String meaning) {
      this(key, meaning, null);
    }
  }

  private static final List<Row> COMMON = List.of(
      new Row("ports", "chat ports, comma-separated"),
      new Row("host", "address the chat ports bind to"),
      new Row("instances", "event loops per port", "cores"),
      new Row("store.type", "embedded (H2 file) or mysql (MySQL/MariaDB)"),
      new Row("store.path", "embedded: file prefix, relative to the working directory"),
      new Row("store.host", "mysql: server"),
      new Row("store.database", "mysql: database, created if missing"),
      new Row("store.user", "mysql: user"),
      new Row("store.password", "mysql: password", "empty"),
      new Row("broker.type", "local (one node) or redis (a cluster)"),
      new Row("broker.mode", "redis: standalone, sentinel or cluster"),
      new Row("broker.uri", "redis standalone: server"),
      new Row("broker.endpoints", "redis sentinel/cluster: the sentinels or some cluster nodes", "none"),
      new Row("proxyProtocol", "expect nginx's PROXY protocol header on chat ports"),
      new Row("web.port", "web client page and WebSocket /ws; 0 = off"),
      new Row("sessions.maxPerUser", "sessions one user may have at once"),
      new Row("metrics.port", "HTTP port of /metrics and /health/*; 0 = off"),
      new Row("logLevel", "TRACE, DEBUG, INFO, WARN, ERROR or OFF"));

  private SettingsHelp() {
  }

  /** One line per common setting: variable, key, default, meaning. */
  public static String table() {
    JsonObject defaults = ChatConfig.defaults();
    StringBuilder out = new StringBuilder();
    for (Row row : COMMON) {
      String shown = row.shownDefault() != null ? row.shownDefault() : text(value(defaults, row.key()));
      out.append(String.format("  %-26s %-19s %-23s %s%n", EnvOverrides.variable(row.key()), row.key(), shown,
          row.meaning()));
    }
    return out.toString();
  }

  private static Object value(JsonObject config, String path) {
    String[] keys = path.split("\\.");
    JsonObject section = config;
    for (int i = 0; i < keys.length - 1; i++) {
      section = section.getJsonObject(keys[i]);
    }
    return section.getValue(keys[keys.length - 1]);
  }

  private static String text(Object value) {
    if (value instanceof JsonArray array) {
      return array.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    return String.valueOf(value);
  }
}
