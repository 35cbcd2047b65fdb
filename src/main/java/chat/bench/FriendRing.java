package chat.bench;

import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The friendships of {@code presence}: N users in a ring, each a friend of the F/2 before and the
 * F/2 after it (and, for an odd F, of the one opposite, which needs an even N), so that every user
 * has exactly F friends and every login fans out alike. Set-up, outside any measurement: logs every
 * user in once, reads who its friends are from the login reply, adds only the ring's friendships
 * that are missing (ADD_FRIEND, mutual, at bounded concurrency: done once, a later run against the
 * same server adds nothing) and closes.
 */
final class FriendRing {
  private static final int RETRIES = 20;
  private static final long RETRY_MILLIS = 250;
  private static final int UNAVAILABLE = 503;

  private final int users;
  private final int friends;

  FriendRing(int users, int friends) {
    if (friends < 1 || friends >= users) {
      throw new IllegalArgumentException("each of " + users + " users can have 1 to " + (users - 1) + " friends, not "
          + friends);
    }
    if (friends % 2 == 1 && users % 2 == 1) {
      throw new IllegalArgumentException("an odd number of friends each needs an even number of users");
    }
    this.users = users;
    this.friends = friends;
  }

  /** The ring's friendships, each once, as (index, index). */
  List<int[]> edges() {
    List<int[]> edges = new ArrayList<>(users * friends / 2);
    for (int i = 0; i < users; i++) {
      for (int d = 1; d <= friends / 2; d++) {
        edges.add(new int[] {i, (i + d) % users});
      }
    }
    if (friends % 2 == 1) {
      for (int i = 0; i < users / 2; i++) {
        edges.add(new int[] {i, i + users / 2});
      }
    }
    return edges;
  }

  /** What set-up found and did; {@code friends} holds each user's friends among the ring's users, by index. */
  record Setup(int[][] friends, JsonObject figures) {
  }

  Setup ensure(Driver driver, Fleet fleet, List<BenchUser> ring, IntFunction<Endpoint> endpointOf, int concurrency) {
    long start = System.nanoTime();
    System.out.printf("friends: logging in %d users to read their friends...%n", ring.size());
    List<BenchConnection> connections = fleet.loginAll(ring, i -> i, endpointOf, Accounts.LoginBy.AUTO, false);
    try {
      Map<Long, Integer> indexOf = new HashMap<>();
      for (int i = 0; i < ring.size(); i++) {
        indexOf.put(ring.get(i).id, i);
      }
      List<Set<Long>> known = new ArrayList<>();
      int outside = 0;
      for (BenchConnection c : connections) {
        Set<Long> ids = friendIds(c.takeLoginAck());
        known.add(ids);
        outside += (int) ids.stream().filter(id -> !indexOf.containsKey(id)).count();
      }
      List<int[]> missing = new ArrayList<>();
      int present = 0;
      for (int[] e : edges()) {
        if (known.get(e[0]).contains(ring.get(e[1]).id)) {
          present++;
        } else {
          missing.add(e);
        }
      }
      System.out.printf("friends: %d of the ring's %d friendships there, adding %d...%n", present, present + missing.size(),
          missing.size());
      long adding = System.nanoTime();
      Throttle.Outcome<Long> added = Throttle.run(missing.size(), concurrency, k -> {
        int[] e = missing.get(k);
        return driver.on(e[0], () -> befriend(driver, connections.get(e[0]), ring.get(e[1]).id, RETRIES));
      }).await();
      if (added.failed() > 0) {
        throw new IllegalStateException(added.failed() + " ADD_FRIEND failed, first: " + added.firstFailure());
      }
      double addSeconds = (System.nanoTime() - adding) / 1e9;
      for (int[] e : missing) {
        known.get(e[0]).add(ring.get(e[1]).id);
        known.get(e[1]).add(ring.get(e[0]).id);
      }
      int[][] byIndex = new int[ring.size()][];
      int min = Integer.MAX_VALUE;
      int max = 0;
      for (int i = 0; i < ring.size(); i++) {
        byIndex[i] = known.get(i).stream().filter(indexOf::containsKey).mapToInt(indexOf::get).toArray();
        min = Math.min(min, byIndex[i].length);
        max = Math.max(max, byIndex[i].length);
      }
      JsonObject figures = new JsonObject()
          .put("friendshipsThere", present)
          .put("friendshipsAdded", missing.size())
          .put("addedPerSecond", missing.isEmpty() ? 0 : Math.round(missing.size() / addSeconds))
          .put("friendsMin", min)
          .put("friendsMax", max)
          .put("friendsOutsideRing", outside)
          .put("setUpSeconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
      if (min != max || min != friends) {
        System.out.printf("friends: users have %d to %d friends among themselves, not exactly %d (friendships left by "
            + "an earlier run with other numbers; use another users file for exactly %d)%n", min, max, friends, friends);
      }
      return new Setup(byIndex, figures);
    } finally {
      Fleet.closeAll(connections);
    }
  }

  /** The ids in a LOGIN_MSG_ACK's {@code friends}: JSON texts of {"id":…,"name":…,"state":…}. */
  static Set<Long> friendIds(ObjectNode loginAck) {
    Set<Long> ids = new HashSet<>();
    for (JsonNode entry : loginAck.path("friends")) {
      ids.add(Messages.parseObject(entry.textValue()).path("id").asLong());
    }
    return ids;
  }

  /** ADD_FRIEND with a seq (so the server acks it), tried again while the server answers 503. */
  private static Future<Long> befriend(Driver driver, BenchConnection c, long friend, int retries) {
    return c.request(Messages.object(MsgId.ADD_FRIEND).put("id", c.user().id).put("friendid", friend).put("seq", 1))
        .compose(ack -> {
          if (ack.path("msgid").asInt() == MsgId.ADD_FRIEND_ACK && ack.path("errno").asInt(-1) == 0
              && ack.path("friendid").asLong() == friend) {
            return Future.succeededFuture(friend);
          }
          if (ack.path("errno").asInt() == UNAVAILABLE && retries > 0) {
            return driver.vertx().timer(RETRY_MILLIS, TimeUnit.MILLISECONDS).compose(v -> befriend(driver, c, friend,
                retries - 1));
          }
          return Future.failedFuture("ADD_FRIEND " + c.user().id + " -> " + friend + " failed: " + ack);
        });
  }
}
