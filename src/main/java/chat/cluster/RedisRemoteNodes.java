package chat.cluster;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Other nodes over Redis pub/sub (sharded in a Redis Cluster), one channel per node incarnation: the users of a list are
 * grouped by the nodes that hold their sessions, and each node gets ONE publish carrying all its recipients
 * (a group message costs one round trip per node, not per member). (S)PUBLISH answers how many
 * subscribers got it; zero means the node is gone, so its recipients count as missed at once.
 * Where users are is remembered for a moment when each holds one session at most; with several,
 * Redis is asked every time, since a stale answer would pass over a session that just started.
 */
public final class RedisRemoteNodes implements RemoteNodes {
  /** How long a user's node is trusted without asking Redis. */
  private static final long HINT_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final int MAX_HINTS = 200_000;

  private record Hint(Set<String> nodes, long expires) {
  }

  private final Map<Long, Hint> hints = new ConcurrentHashMap<>();
  private final RedisKeys keys;
  private final RedisLink redis;
  private final RedisPresence presence;
  private final PendingReplies replies;
  private final boolean hinted;

  RedisRemoteNodes(RedisKeys keys, RedisLink redis, RedisPresence presence, PendingReplies replies,
                   boolean oneSessionPerUser) {
    this.keys = keys;
    this.redis = redis;
    this.presence = presence;
    this.replies = replies;
    this.hinted = oneSessionPerUser;
  }

  @Override
  public Future<List<Long>> send(List<Long> userIds, Relayed message) {
    return owners(userIds).compose(owners -> {
      Map<String, List<Long>> byNode = new HashMap<>();
      for (long id : userIds) {
        // sessions on this very node were reached (or not) already, by the caller
        for (String node : owners.getOrDefault(id, Set.of())) {
          if (!node.equals(presence.incarnation())) {
            byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(id);
          }
        }
      }
      List<Future<List<Long>>> answers = new ArrayList<>();
      byNode.forEach((node, ids) -> answers.add(publish(node, ids, message)));
      return Future.join(answers).transform(done -> {
        // a user is missed when none of their nodes had a session that took it
        Map<Long, Integer> takers = new HashMap<>();
        byNode.forEach((node, ids) -> ids.forEach(id -> takers.merge(id, 1, Integer::sum)));
        for (Future<List<Long>> answer : answers) {
          for (long id : answer.result()) {
            // a recipient who was not where we thought: ask Redis next time
            hints.remove(id);
            takers.merge(id, -1, Integer::sum);
          }
        }
        List<Long> nowhere = new ArrayList<>();
        for (long id : userIds) {
          if (takers.getOrDefault(id, 0) <= 0) {
            nowhere.add(id);
          }
        }
        return Future.succeededFuture(nowhere);
      });
    }).otherwise(err -> userIds);
  }

  @Override
  public void signal(List<Signal> signals) {
    Set<Long> everyone = new LinkedHashSet<>();
    signals.forEach(s -> everyone.addAll(s.userIds()));
    owners(List.copyOf(everyone)).onSuccess(owners -> {
      Map<String, List<Signal>> byNode = new HashMap<>();
      for (Signal s : signals) {
        Map<String, List<Long>> theirs = new HashMap<>();
        for (long id : s.userIds()) {
          for (String node : owners.getOrDefault(id, Set.of())) {
            if (!node.equals(presence.incarnation())) {
              theirs.computeIfAbsent(node, n -> new ArrayList<>()).add(id);
            }
          }
        }
        theirs.forEach((node, ids) -> byNode.computeIfAbsent(node, n -> new ArrayList<>())
            .add(new Signal(ids, s.message())));
      }
      byNode.forEach((node, list) -> redis.publish(keys.nodeChannel(node), Envelope.signals(list)));
    });
  }

  /**
   * Where these users' sessions are: from the hints when every one of them is fresh and on live
   * nodes (no round trip, so a busy sender is not held up), otherwise from Redis. A wrong hint costs
   * nothing but time: that node answers "missed", and the message stays owed to the user in its log.
   */
  private Future<Map<Long, Set<String>>> owners(List<Long> userIds) {
    if (!hinted) {
      return presence.owners(userIds);
    }
    long now = System.nanoTime();
    Map<Long, Set<String>> hinted = new HashMap<>();
    for (long id : userIds) {
      Hint hint = hints.get(id);
      if (hint == null || hint.expires - now < 0 || !hint.nodes.stream().allMatch(presence::isLive)) {
        return presence.owners(userIds).onSuccess(this::remember);
      }
      hinted.put(id, hint.nodes);
    }
    return Future.succeededFuture(hinted);
  }

  private void remember(Map<Long, Set<String>> owners) {
    if (hints.size() > MAX_HINTS) {
      hints.clear();
    }
    long expires = System.nanoTime() + HINT_NANOS;
    owners.forEach((user, nodes) -> hints.put(user, new Hint(nodes, expires)));
  }

  /** The recipients of {@code ids} on {@code node} who did not get the message; never fails. */
  private Future<List<Long>> publish(String node, List<Long> ids, Relayed message) {
    String id = replies.newId();
    Future<List<Long>> answer = replies.expect(id, ids);
    return redis.publish(keys.nodeChannel(node), Envelope.message(id, presence.incarnation(), ids, message))
        .compose(receivers -> {
          if (receivers.toInteger() == 0) {
            replies.complete(id, ids);
          }
          return answer;
        })
        .otherwise(err -> {
          replies.complete(id, ids);
          return ids;
        });
  }
}
