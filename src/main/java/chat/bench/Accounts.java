package chat.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** REG and LOGIN as the legacy client sends them (LOGIN by token being the one extension). */
final class Accounts {

  /** How a connection logs in: by token, by password, or by token when the user has one. */
  enum LoginBy { TOKEN, PASSWORD, AUTO }

  /** The server answered ERROR 503 (storage busy or down, nothing changed): the request may be retried. */
  static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message, null, false, false);
    }
  }

  private Accounts() {
  }

  static Future<BenchUser> register(BenchConnection c, String name, String password) {
    return c.request(new JsonObject().put("msgid", 4).put("name", name).put("password", password))
        .compose(ack -> ack.getInteger("msgid", 0) == 5 && ack.getInteger("errno", -1) == 0
            ? Future.succeededFuture(new BenchUser(ack.getLong("id"), name, password, null))
            : Future.failedFuture("registration of " + name + " failed: " + ack.encode()));
  }

  /** Logs in and remembers the token the server returned; AUTO retries by password when a token is refused. */
  static Future<BenchConnection> login(BenchConnection c, BenchUser user, LoginBy by) {
    boolean token = by == LoginBy.TOKEN || (by == LoginBy.AUTO && user.token() != null);
    if (token && user.token() == null) {
      return Future.failedFuture("user " + user.id + " has no token: log in by password once first");
    }
    JsonObject request = new JsonObject().put("msgid", 1).put("id", user.id);
    if (token) {
      request.put("token", user.token());
    } else {
      request.put("password", user.password);
    }
    return c.request(request).compose(ack -> {
      if (ack.getInteger("msgid", 0) == 2 && ack.getInteger("errno", -1) == 0) {
        String fresh = ack.getString("token");
        if (fresh != null) {
          user.token(fresh);
        }
        c.loggedInAs(user);
        return Future.succeededFuture(c);
      }
      if (token && by == LoginBy.AUTO && ack.getInteger("errno", -1) == 1) {
        return login(c, user, LoginBy.PASSWORD);
      }
      if (ack.getInteger("msgid", 0) == 99 && ack.getInteger("errno", -1) == 503) {
        return Future.failedFuture(new Unavailable("login of " + user.id + ": " + ack.encode()));
      }
      return Future.failedFuture("login of " + user.id + " failed: " + ack.encode());
    });
  }
}
