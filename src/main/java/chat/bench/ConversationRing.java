package chat.bench;

import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The conversations of {@code login --conversations N}: the run's n users in a ring, user i writes
 * one ONE_CHAT_MSG to each of the ceil(N/2) users after it (mod n), so that every user is in
 * one-to-one conversations with the ceil(N/2) after it and the ceil(N/2) before it: N of them (N + 1
 * for an odd N; n - 1 when the ring is that small). Set-up, outside any measurement: every user is
 * logged in at once, so each message is pushed live and nothing is left owed (a re-login then
 * carries an empty or nearly empty {@code offlinemsg}, as a user's who was online when their
 * conversations were written), each message waits for its CHAT_ACK (at bounded concurrency), then
 * everything is closed. Each message carries a {@code cmid} made of the recipient's id: run again
 * with the same users, the server appends none of them twice.
 */
final class ConversationRing {
  /** ONE_CHAT_MSGs in flight at once, across all connections. */
  static final int IN_FLIGHT = 256;
  private static final int RETRIES = 60;
  private static final long RETRY_MILLIS = 500;
  private static final int UNAVAILABLE = 503;
  private static final int RATE_LIMITED = 107;
  private static final String TIME = "2026-01-01 00:00:00";

  private final int users;
  private final int conversations;

  ConversationRing(int users, int conversations) {
    if (conversations < 0) {
      throw new IllegalArgumentException("--conversations must be 0 or more, not " + conversations);
    }
    if (conversations > 0 && conversations >= users) {
      throw new IllegalArgumentException("each of " + users + " users can be in 1 to " + (users - 1)
          + " one-to-one conversations with the others, not " + conversations);
    }
    this.users = users;
    this.conversations = conversations;
  }

  /** How many users after it each user writes to. */
  int reach() {
    return (conversations + 1) / 2;
  }

  /** How many ONE_CHAT_MSGs set-up sends. */
  int messages() {
    return users * reach();
  }

  /** Sends the ring's messages; what set-up did, for the report. */
  JsonObject ensure(Driver driver, Fleet fleet, Common common, List<BenchUser> ring) {
    long start = System.nanoTime();
    System.out.printf("conversations: logging in %d users, each writing to the %d after it...%n", ring.size(), reach());
    List<BenchConnection> connections = fleet.loginAll(ring, i -> i, i -> common.senders(), Accounts.LoginBy.AUTO,
        false);
    Throttle.Outcome<String> sent;
    try {
      // message k: from user k % n to the user (k / n + 1) after it, so the senders take turns
      sent = Throttle.run(messages(), IN_FLIGHT, k -> {
        int from = k % users;
        int to = (from + k / users + 1) % users;
        return driver.on(from, () -> chat(driver, connections.get(from), ring.get(to), RETRIES));
      }).await();
    } finally {
      Fleet.closeAll(connections);
    }
    if (sent.failed() > 0) {
      throw new IllegalStateException(sent.failed() + " of " + messages() + " set-up messages failed, first: "
          + sent.firstFailure());
    }
    long stored = sent.results().stream().filter("stored"::equals).count();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("conversations: %d messages acked (%d \"delivered\", %d \"stored\"; a cmid sent before is not "
        + "appended again) in %.1f s%n", messages(), messages() - stored, stored, seconds);
    return new JsonObject()
        .put("messages", messages())
        .put("stored", stored)
        .put("conversationsPerUser", Math.min(2 * reach(), users - 1))
        .put("setUpSeconds", Math.round(seconds * 100) / 100.0);
  }

  /** One ONE_CHAT_MSG with a seq and a cmid; its CHAT_ACK's status. Tried again on 503 and 107. */
  private static Future<String> chat(Driver driver, BenchConnection c, BenchUser to, int retries) {
    BenchUser me = c.user();
    ObjectNode message = Messages.object(MsgId.ONE_CHAT).put("id", me.id).put("name", me.name).put("toid", to.id)
        .put("msg", "hello " + to.name).put("time", TIME).put("seq", to.id).put("cmid", "login-conv-" + to.id);
    return c.request(message).compose(ack -> {
      if (ack.path("msgid").asInt() == MsgId.CHAT_ACK && ack.path("errno").asInt(-1) == 0) {
        return Future.succeededFuture(ack.path("status").asText());
      }
      int errno = ack.path("errno").asInt();
      if ((errno == UNAVAILABLE || errno == RATE_LIMITED) && retries > 0) {
        return driver.vertx().timer(RETRY_MILLIS, TimeUnit.MILLISECONDS).compose(v -> chat(driver, c, to, retries - 1));
      }
      return Future.failedFuture("set-up message " + me.id + " -> " + to.id + " refused: " + ack);
    });
  }
}
