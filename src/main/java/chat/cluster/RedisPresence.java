package chat.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * Cluster-wide presence in Redis, counted in sessions. Each user's sessions are the fields of one
 * hash ({@code session → node incarnation}), claimed with a script, so of nodes racing for the last
 * place exactly one wins, and the first session up and the last down are each seen once. A session
 * counts only while its node holds a live lease in {@link RedisKeys#nodes} (renewed every second,
 * scored by Redis's own clock). When a node dies, one surviving node reaps it once its lease ran out:
 * it removes the dead node's sessions (listed per node) and reports the users who are offline now.
 * A node only ever removes its own sessions, or a dead node's. Every script touches a single key, so
 * this runs on Redis Cluster too.
 */
public final class RedisPresence implements Presence {
  private static final Logger LOG = LoggerFactory.getLogger(RedisPresence.class);
  private static final long RENEW_EVERY_MILLIS = 1000;
  private static final long REAPING_MILLIS = 60_000;

  /**
   * Claims a place (ARGV: session, incarnation, max, whether the live list is fresh, live
   * incarnations…): 2 the first session, 1 another, 0 refused, -1 a holder on a node not in the list
   * (ask again with a fresh list; with a fresh list such holders are dead and removed).
   */
  private static final String CLAIM =
      "local live = {} for i = 5, #ARGV do live[ARGV[i]] = true end "
          + "local held = redis.call('HGETALL', KEYS[1]) local count = 0 local mine = false "
          + "for i = 1, #held, 2 do "
          + "  if held[i] == ARGV[1] then mine = true "
          + "  elseif live[held[i + 1]] then count = count + 1 "
          + "  elseif ARGV[4] == '1' then redis.call('HDEL', KEYS[1], held[i]) "
          + "  else return -1 end "
          + "end "
          + "if (not mine) and count >= tonumber(ARGV[3]) then return 0 end "
          + "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) "
          + "if count == 0 then return 2 end return 1";
  /** Removes the session if it is still this node's: the sessions left, or -1 when it was not there. */
  private static final String RELEASE =
      "if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return -1 end "
          + "redis.call('HDEL', KEYS[1], ARGV[1]) return redis.call('HLEN', KEYS[1])";
  /** Removes a dead node's sessions of a user: the sessions left, or -1 when it held none. */
  private static final String REAP =
      "local held = redis.call('HGETALL', KEYS[1]) local removed = 0 "
          + "for i = 1, #held, 2 do if held[i + 1] == ARGV[1] then redis.call('HDEL', KEYS[1], held[i]) "
          + "removed = removed + 1 end end "
          + "if removed == 0 then return -1 end return redis.call('HLEN', KEYS[1])";
  /** Renews our lease and returns the live incarnations, in one round trip. */
  private static final String RENEW =
      "local t = redis.call('TIME') "
          + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
          + "redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]) "
          + "return redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')";
  /** The incarnations whose lease has run out. */
  private static final String DEAD =
      "local t = redis.call('TIME') "
          + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
          + "return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)";

  private final Vertx vertx;
  private final RedisKeys keys;
  private final RedisLink redis;
  private final LocalRecipients recipients;
  private final String incarnation;
  private final long leaseMillis;
  /** A session's claim: whose, and how many sessions of the user it allowed. */
  private record Held(long userId, int max) {
  }

  /** This node's sessions, by session id: put back when Redis comes back. */
  private final Map<String, Held> sessions = new ConcurrentHashMap<>();
  private volatile Set<String> liveNodes = Set.of();
  private volatile boolean renewalFailed;
  private volatile LongConsumer gone = id -> { };
  private long timer = -1;

  RedisPresence(Vertx vertx, RedisKeys keys, RedisLink redis, LocalRecipients recipients, String incarnation,
                long leaseMillis) {
    this.vertx = vertx;
    this.keys = keys;
    this.redis = redis;
    this.recipients = recipients;
    this.incarnation = incarnation;
    this.leaseMillis = leaseMillis;
  }

  public String incarnation() {
    return incarnation;
  }

  /** Takes the first lease (failing softly when Redis is down), keeps renewing it, and reaps dead nodes. */
  public Future<Void> start() {
    timer = vertx.setPeriodic(RENEW_EVERY_MILLIS, id -> renew().onSuccess(live -> {
      // our lease may have run out meanwhile and our sessions been reaped: put them back
      if (renewalFailed) {
        renewalFailed = false;
        reassertClaims();
      }
      reapDeadNodes();
    }));
    return renew().otherwiseEmpty().mapEmpty();
  }

  /** Gives up the lease at once, so nobody waits for it to run out. */
  public Future<Void> stop() {
    vertx.cancelTimer(timer);
    return send(Request.cmd(Command.ZREM).arg(keys.nodes()).arg(incarnation))
        .compose(v -> send(Request.cmd(Command.DEL).arg(keys.nodeUsers(incarnation))))
        .mapEmpty();
  }

  @Override
  public void onGone(LongConsumer listener) {
    gone = listener;
  }

  private Future<Set<String>> renew() {
    return send(Request.cmd(Command.EVAL).arg(RENEW).arg(1).arg(keys.nodes()).arg(incarnation).arg(leaseMillis))
        .map(reply -> {
          Set<String> live = new HashSet<>();
          for (Response r : reply) {
            live.add(r.toString());
          }
          liveNodes = live;
          return (Set<String>) live;
        })
        .onFailure(err -> {
          renewalFailed = true;
          LOG.warn("cannot renew the node lease: {}", err.toString());
        });
  }

  /** Whether a node incarnation held a live lease at the last renewal (at most a second ago). */
  boolean isLive(String incarnation) {
    return liveNodes.contains(incarnation);
  }

  @Override
  public Future<Claim> claim(long userId, String session, int max) {
    Held held = new Held(userId, max);
    return claim(held, session, false).compose(result -> result >= 0
            ? Future.succeededFuture(result)
            // a holder on a node we do not know of: it may have just started; ask Redis, then decide
            : renew().compose(live -> claim(held, session, true)))
        .map(result -> switch (result) {
          case 2 -> Claim.FIRST;
          case 1 -> Claim.ANOTHER;
          default -> Claim.REFUSED;
        })
        .compose(claim -> {
          if (claim == Claim.REFUSED) {
            return Future.succeededFuture(claim);
          }
          sessions.put(session, held);
          return send(Request.cmd(Command.SADD).arg(keys.nodeUsers(incarnation)).arg(userId)).map(claim);
        });
  }

  private Future<Integer> claim(Held held, String session, boolean fresh) {
    Request script = Request.cmd(Command.EVAL).arg(CLAIM).arg(1).arg(keys.presence(held.userId())).arg(session)
        .arg(incarnation).arg(held.max()).arg(fresh ? "1" : "0");
    for (String node : liveNodes) {
      script.arg(node);
    }
    if (!liveNodes.contains(incarnation)) {
      script.arg(incarnation);
    }
    return send(script).map(Response::toInteger);
  }

  @Override
  public Future<Boolean> release(long userId, String session) {
    sessions.remove(session);
    boolean othersHere = sessions.values().stream().anyMatch(h -> h.userId() == userId);
    return send(Request.cmd(Command.EVAL).arg(RELEASE).arg(1).arg(keys.presence(userId)).arg(session).arg(incarnation))
        .compose(left -> othersHere
            ? Future.succeededFuture(left)
            : send(Request.cmd(Command.SREM).arg(keys.nodeUsers(incarnation)).arg(userId)).map(left))
        .map(left -> left.toInteger() == 0)
        .onFailure(err -> LOG.warn("cannot release user {}: {} (the lease bounds it)", userId, err.toString()));
  }

  @Override
  public Future<Set<Long>> online(Collection<Long> userIds) {
    return owners(userIds).map(Map::keySet);
  }

  /**
   * The live node incarnations holding sessions of each of these users who is online. A session
   * held by a node missing from the cached lease list makes us ask Redis for a fresh list first
   * (the node may have just started); sessions of dead nodes do not count (the reaper removes them).
   */
  public Future<Map<Long, Set<String>>> owners(Collection<Long> userIds) {
    if (userIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<Long> ids = new ArrayList<>(userIds);
    List<Request> lookups = new ArrayList<>(ids.size());
    for (long id : ids) {
      lookups.add(Request.cmd(Command.HVALS).arg(keys.presence(id)));
    }
    return redis.batch(lookups).compose(replies -> {
      Map<Long, Set<String>> found = new HashMap<>();
      boolean unknownNode = false;
      for (int i = 0; i < ids.size(); i++) {
        Response r = replies.get(i);
        if (r != null && r.size() > 0) {
          Set<String> nodes = new HashSet<>();
          for (Response node : r) {
            nodes.add(node.toString());
            unknownNode |= !liveNodes.contains(node.toString());
          }
          found.put(ids.get(i), nodes);
        }
      }
      Future<Set<String>> live = unknownNode ? renew() : Future.succeededFuture(liveNodes);
      return live.map(nodes -> {
        Map<Long, Set<String>> owners = new HashMap<>();
        found.forEach((userId, held) -> {
          held.retainAll(nodes);
          if (!held.isEmpty()) {
            owners.put(userId, held);
          }
        });
        return owners;
      });
    });
  }

  /**
   * Nodes whose lease ran out: one surviving node (whichever takes the reaping lock first) removes
   * their sessions and reports the users whose last session went with them.
   */
  private void reapDeadNodes() {
    send(Request.cmd(Command.EVAL).arg(DEAD).arg(1).arg(keys.nodes())).onSuccess(dead -> {
      for (Response node : dead) {
        String deadNode = node.toString();
        if (deadNode.equals(incarnation)) {
          // our own lease lapsed: the others reap us; we put our sessions back once renewed
          continue;
        }
        send(Request.cmd(Command.SET).arg(keys.reaping(deadNode)).arg(incarnation).arg("NX").arg("PX")
            .arg(REAPING_MILLIS)).onSuccess(locked -> {
              if (locked != null) {
                reap(deadNode);
              }
            });
      }
    });
  }

  private void reap(String deadNode) {
    send(Request.cmd(Command.SMEMBERS).arg(keys.nodeUsers(deadNode))).compose(users -> {
      List<Future<Void>> each = new ArrayList<>();
      for (Response user : users) {
        long userId = user.toLong();
        each.add(send(Request.cmd(Command.EVAL).arg(REAP).arg(1).arg(keys.presence(userId)).arg(deadNode))
            .map(left -> {
              if (left.toInteger() == 0) {
                gone.accept(userId);
              }
              return null;
            }));
      }
      return Future.join(each);
    }).compose(v -> send(Request.cmd(Command.DEL).arg(keys.nodeUsers(deadNode))))
        .compose(v -> send(Request.cmd(Command.ZREM).arg(keys.nodes()).arg(deadNode)))
        .onSuccess(v -> LOG.info("node {} is gone: its sessions were removed", deadNode))
        .onFailure(err -> LOG.warn("cannot reap node {} now: {}", deadNode, err.toString()));
  }

  /**
   * After Redis was unreachable (and perhaps lost everything): writes this node's sessions back,
   * closes those whose place another node took meanwhile, and has the others catch up with what
   * they missed in the gap.
   */
  public void reassertClaims() {
    renew().onComplete(leased -> sessions.forEach((session, held) -> claim(held, session, true)
        .onSuccess(result -> {
          long userId = held.userId();
          if (result > 0) {
            send(Request.cmd(Command.SADD).arg(keys.nodeUsers(incarnation)).arg(userId));
            recipients.catchUp(userId);
          } else {
            LOG.warn("user {} holds all their places elsewhere now: closing session {}", userId, session);
            sessions.remove(session);
            recipients.kick(userId, session);
          }
        })));
  }

  private Future<Response> send(Request request) {
    return redis.send(request);
  }
}
