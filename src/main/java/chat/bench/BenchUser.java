package chat.bench;

import io.vertx.core.json.JsonObject;

/** A registered account; the token is replaced by the one each successful login returns. */
final class BenchUser {
  final long id;
  final String name;
  final String password;
  private volatile String token;

  BenchUser(long id, String name, String password, String token) {
    this.id = id;
    this.name = name;
    this.password = password;
    this.token = token;
  }

  String token() {
    return token;
  }

  void token(String token) {
    this.token = token;
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("name", name).put("password", password);
    return token == null ? json : json.put("token", token);
  }

  static BenchUser fromJson(JsonObject json) {
    return new BenchUser(json.getLong("id"), json.getString("name"), json.getString("password"),
        json.getString("token"));
  }
}
