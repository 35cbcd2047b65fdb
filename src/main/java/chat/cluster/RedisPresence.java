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

/**
 * Cluster-wide presence in Redis. A user is claimed by writing {@code "<incarnation> <session>"}
 * to their key with a compare-and-set script, so of two nodes racing for one user exactly one
 * wins. A claim counts only while its node incarnation holds a live lease in {@link RedisKeys#nodes}
 * (renewed every second, scored by Redis's own clock): when a node dies without cleanup, its users
 * are offline again once its lease runs out and may log in elsewhere. A node only ever deletes its
 * own claims. Every script and command touches a single key, so this runs on Redis Cluster too.
 */
public final class RedisPresence implements Presence {
  private static final Logger LOG = LoggerFactory.getLogger(RedisPresence.class);
  private static final long RENEW_EVERY_MILLIS = 1000;

  /** Claims when the key is free, already ours, or still holds the stale value the caller saw. */
  private static final String CLAIM =
      "local cur = redis.call('GET', KEYS[1]) "
          + "if (not cur) or cur == ARGV[1] or cur == ARGV[2] then redis.call('SET', KEYS[1], ARGV[1]) return 1 end "
          + "return 0";
  private static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
  /** Renews our lease and returns the live incarnations, in one round trip. */
  private static final String RENEW =
      "local t = redis.call('TIME') "
          + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
          + "redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]) "
          + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 3600000) "
          + "return redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')";

  private final Vertx vertx;
  private final RedisKeys keys;
  private final RedisLink redis;
  private final LocalRecipients recipients;
  private final String incarnation;
  private final long leaseMillis;
  /**
   * This node's own claims, to re-drain them when Redis comes back: user id to the session's own id
   * string (the claim value is built when needed, not kept per session).
   */
  private final Map<Long, String> claims = new ConcurrentHashMap<>();
  private volatile Set<String> liveNodes = Set.of();
  private volatile boolean renewalFailed;
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

  /** Takes the first lease (failing softly when Redis is down) and keeps renewing it. */
  public Future<Void> start() {
    timer = vertx.setPeriodic(RENEW_EVERY_MILLIS, id -> renew().onSuccess(live -> {
      // our lease may have run out meanwhile and our claims been cleared as stale: put them back
      if (renewalFailed) {
        renewalFailed = false;
        reassertClaims();
      }
    }));
    return renew().otherwiseEmpty().mapEmpty();
  }

  /** Gives up the lease at once, so nobody waits for it to run out. */
  public Future<Void> stop() {
    vertx.cancelTimer(timer);
    return send(Request.cmd(Command.ZREM).arg(keys.nodes()).arg(incarnation)).mapEmpty();
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
  public Future<Boolean> claim(long userId, String session) {
    String value = claimValue(session);
    String key = keys.presence(userId);
    return casClaim(key, value, "").compose(won -> {
      if (won) {
        return Future.succeededFuture(true);
      }
      // taken: fine if its holder's node is dead; ask Redis for the freshest lease list first
      return send(Request.cmd(Command.GET).arg(key))
          .compose(current -> current == null
              ? casClaim(key, value, "")
              : renew().compose(live -> live.contains(ownerOf(current.toString()))
                  ? Future.succeededFuture(false)
                  : casClaim(key, value, current.toString())));
    }).onSuccess(won -> {
      if (won) {
        claims.put(userId, session);
      }
    });
  }

  private Future<Boolean> casClaim(String key, String value, String stale) {
    return send(Request.cmd(Command.EVAL).arg(CLAIM).arg(1).arg(key).arg(value).arg(stale))
        .map(r -> r.toInteger() == 1);
  }

  @Override
  public Future<Void> release(long userId, String session) {
    String value = claimValue(session);
    claims.remove(userId, session);
    return send(Request.cmd(Command.EVAL).arg(RELEASE).arg(1).arg(keys.presence(userId)).arg(value))
        .<Void>mapEmpty()
        .onFailure(err -> LOG.warn("cannot release user {}: {} (the lease bounds it)", userId, err.toString()));
  }

  @Override
  public Future<Set<Long>> online(Collection<Long> userIds) {
    return owners(userIds).map(Map::keySet);
  }

  /**
   * The live node incarnation of each of these users who is online. A claim held by a node missing
   * from the cached lease list makes us ask Redis for a fresh list first (the node may have just
   * started); a claim whose node is dead for sure is deleted, so the next lookup is cheap again.
   */
  public Future<Map<Long, String>> owners(Collection<Long> userIds) {
    if (userIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<Long> ids = new ArrayList<>(userIds);
    List<Request> gets = new ArrayList<>(ids.size());
    for (long id : ids) {
      gets.add(Request.cmd(Command.GET).arg(keys.presence(id)));
    }
    return redis.batch(gets).compose(replies -> {
      Map<Long, String> claimsFound = new HashMap<>();
      boolean unknownNode = false;
      for (int i = 0; i < ids.size(); i++) {
        Response r = replies.get(i);
        if (r != null) {
          String value = r.toString();
          claimsFound.put(ids.get(i), value);
          unknownNode |= !liveNodes.contains(ownerOf(value));
        }
      }
      Future<Set<String>> live = unknownNode ? renew() : Future.succeededFuture(liveNodes);
      return live.map(nodes -> {
        Map<Long, String> owners = new HashMap<>();
        claimsFound.forEach((userId, value) -> {
          String owner = ownerOf(value);
          if (nodes.contains(owner)) {
            owners.put(userId, owner);
          } else {
            send(Request.cmd(Command.EVAL).arg(RELEASE).arg(1).arg(keys.presence(userId)).arg(value));
          }
        });
        return owners;
      });
    });
  }

  /**
   * After Redis was unreachable (and perhaps lost everything): writes this node's claims back, closes
   * the sessions whose user another node took over meanwhile, and has the others drain what was
   * stored for them in the gap.
   */
  public void reassertClaims() {
    renew().onComplete(leased -> claims.forEach((userId, session) ->
        casClaim(keys.presence(userId), claimValue(session), "").onSuccess(ours -> {
          if (ours) {
            recipients.drain(userId);
          } else {
            LOG.warn("user {} was taken over by another node while Redis was away: closing the local session", userId);
            claims.remove(userId, session);
            recipients.kick(userId);
          }
        })));
  }

  private String claimValue(String session) {
    return incarnation + " " + session;
  }

  private Future<Response> send(Request request) {
    return redis.send(request);
  }

  private static String ownerOf(String value) {
    int space = value.indexOf(' ');
    return space < 0 ? value : value.substring(0, space);
  }
}
