package chat.bench;

import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.Promise;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * REG and LOGIN. REG as the legacy client sends it. LOGIN carries a {@code seq}, so that our
 * server does not take the session for a legacy one (a legacy session gets no token, which
 * {@code login --by TOKEN} needs); the classic server ignores the field. A legacy login sends
 * exactly what the classic client sends: id and password, nothing else.
 */
final class Accounts {

  /** How a connection logs in: by token, by password, or by token when the user has one. */
  enum LoginBy { TOKEN, PASSWORD, AUTO }

  /** The server answered errno 503 (storage busy or down, nothing changed): the request may be retried. */
  static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * LOGIN errno 503 or 107 with a {@code retry} hint: the server's admission control turned it away
   * for now; try again after {@code retryMillis}.
   */
  static final class TryLater extends RuntimeException {
    final int retryMillis;

    TryLater(String message, int retryMillis) {
      super(message, null, false, false);
      this.retryMillis = retryMillis;
    }
  }

  /** LOGIN errno 2: the user's session is still alive, e.g. the server has not yet released a closed one. */
  static final class InUse extends RuntimeException {
    InUse(String message) {
      super(message, null, false, false);
    }
  }

  private static final int LOGIN_SEQ = 1;
  private static final int UNAVAILABLE = 503;
  private static final int RATE_LIMITED = 107;
  private static final int BAD_LOGIN = 1;
  private static final int LOGGED_IN_ELSEWHERE = 2;

  private Accounts() {
  }

  static Future<BenchUser> register(BenchConnection c, String name, String password) {
    return c.request(Messages.object(MsgId.REG).put("name", name).put("password", password))
        .compose(ack -> ack.path("msgid").asInt() == MsgId.REG_ACK && ack.path("errno").asInt(-1) == 0
            ? Future.succeededFuture(new BenchUser(ack.path("id").asLong(), name, password, null))
            : Future.failedFuture("registration of " + name + " failed: " + ack));
  }

  /**
   * Logs in and remembers the token the server returned (a legacy session gets none: the user keeps
   * the one it had); AUTO retries by password when a token is refused. A legacy login is by
   * password only: a LOGIN with a token is never a legacy session.
   */
  /**
   * A login that, when the server turns it away for now (admission control), tries again after the
   * server's hint and a random quarter more, so that logins turned away together do not come back
   * together; {@code retries} counts those, {@code wanted} says whether the login is still wanted.
   */
  static Future<BenchConnection> loginAdmitted(Vertx vertx, BenchConnection c, BenchUser user, LoginBy by,
                                               boolean legacy, List<String> caps, LongAdder retries,
                                               BooleanSupplier wanted) {
    return login(c, user, by, legacy, caps).recover(err -> {
      if (!(err instanceof TryLater later) || !wanted.getAsBoolean()) {
        return Future.failedFuture(err);
      }
      retries.increment();
      Promise<Void> waited = Promise.promise();
      vertx.setTimer(later.retryMillis + ThreadLocalRandom.current().nextLong(later.retryMillis / 4 + 1),
          t -> waited.complete());
      return waited.future().compose(v -> loginAdmitted(vertx, c, user, by, legacy, caps, retries, wanted));
    });
  }

  static Future<BenchConnection> login(BenchConnection c, BenchUser user, LoginBy by, boolean legacy) {
    return login(c, user, by, legacy, List.of());
  }

  /**
   * {@link #login(BenchConnection, BenchUser, LoginBy, boolean)} asking for pushes ({@code caps},
   * PROTOCOL.md v2, e.g. {@code presence}); a LOGIN with caps is never a legacy session.
   */
  static Future<BenchConnection> login(BenchConnection c, BenchUser user, LoginBy by, boolean legacy, List<String> caps) {
    if (legacy && !caps.isEmpty()) {
      return Future.failedFuture("a legacy login asks for no caps");
    }
    if (legacy && by != LoginBy.PASSWORD) {
      return Future.failedFuture("a legacy login is by password, not " + by);
    }
    boolean token = by == LoginBy.TOKEN || (by == LoginBy.AUTO && user.token() != null);
    if (token && user.token() == null) {
      return Future.failedFuture("user " + user.id + " has no token: log in by password once first");
    }
    ObjectNode request = Messages.object(MsgId.LOGIN).put("id", user.id);
    if (token) {
      request.put("token", user.token());
    } else {
      request.put("password", user.password);
    }
    if (!legacy) {
      request.put("seq", LOGIN_SEQ);
    }
    if (!caps.isEmpty()) {
      caps.forEach(request.putArray("caps")::add);
    }
    return c.request(request).compose(ack -> {
      int msgid = ack.path("msgid").asInt();
      int errno = ack.path("errno").asInt(-1);
      if (msgid == MsgId.LOGIN_ACK && errno == 0) {
        String fresh = ack.path("token").textValue();
        if (fresh != null) {
          user.token(fresh);
        }
        c.loggedInAs(user, ack);
        return Future.succeededFuture(c);
      }
      if (token && by == LoginBy.AUTO && msgid == MsgId.LOGIN_ACK && errno == BAD_LOGIN) {
        return login(c, user, LoginBy.PASSWORD, legacy, caps);
      }
      if (msgid == MsgId.LOGIN_ACK && (errno == UNAVAILABLE || errno == RATE_LIMITED) && ack.path("retry").asInt() > 0) {
        return Future.failedFuture(new TryLater("login of " + user.id + ": " + ack, ack.path("retry").asInt()));
      }
      // LOGIN_MSG_ACK errno 503 per PROTOCOL.md; ERROR 503 from servers that predate that rule
      if ((msgid == MsgId.LOGIN_ACK || msgid == MsgId.ERROR) && errno == UNAVAILABLE) {
        return Future.failedFuture(new Unavailable("login of " + user.id + ": " + ack));
      }
      if (msgid == MsgId.LOGIN_ACK && errno == LOGGED_IN_ELSEWHERE) {
        return Future.failedFuture(new InUse("login of " + user.id + ": " + ack));
      }
      return Future.failedFuture("login of " + user.id + " failed: " + ack);
    });
  }
}
