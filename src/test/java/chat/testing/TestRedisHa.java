package chat.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis with Sentinel (a master, its replica, three sentinels) or a Redis Cluster (three masters,
 * a replica each), real redis-server processes started by {@code scripts/redis-ha.sh} on free ports,
 * for the nodes of one or more test clusters. Tests kill its servers with SIGKILL and start them again.
 */
public final class TestRedisHa implements RedisBackend {
  private final Path dir;
  private final JsonObject broker = new JsonObject();
  private final List<Integer> dataPorts = new ArrayList<>();
  private final List<Integer> sentinelPorts = new ArrayList<>();

  private TestRedisHa(Path dir) {
    this.dir = dir;
  }

  public static TestRedisHa sentinel() {
    return start("sentinel");
  }

  public static TestRedisHa cluster() {
    return start("cluster");
  }

  private static TestRedisHa start(String kind) {
    TestRedisHa set = new TestRedisHa(TempDirs.create("redis-" + kind + "-"));
    try {
      set.script(kind, set.dir.toString());
      set.load();
      return set;
    } catch (RuntimeException | Error e) {
      set.close();
      throw e;
    }
  }

  /** The servers' ports and the nodes' settings, as the script wrote them down. */
  private void load() {
    try {
      for (String line : Files.readAllLines(dir.resolve("ports"))) {
        String[] f = line.split(" ");
        (f[0].equals("sentinel") ? sentinelPorts : dataPorts).add(Integer.parseInt(f[1]));
      }
      for (String line : Files.readAllLines(dir.resolve("env"))) {
        String[] kv = line.split("=", 2);
        switch (kv[0]) {
          case "CHAT_BROKER_MODE" -> broker.put("mode", kv[1]);
          case "CHAT_BROKER_ENDPOINTS" -> broker.put("endpoints", new JsonArray(List.of((Object[]) kv[1].split(","))));
          case "CHAT_BROKER_MASTER_NAME" -> broker.put("masterName", kv[1]);
          default -> { }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public JsonObject brokerConfig() {
    return broker.copy();
  }

  /** Sentinel: the port of the master the sentinels name now. */
  public int master() {
    List<?> address = (List<?>) RedisProbe.command(sentinelPorts.get(0), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster");
    return Integer.parseInt((String) address.get(1));
  }

  /** Cluster: the port of the master that serves this key's (or sharded channel's) slot now, as a live node sees it. */
  public int masterOf(String key) {
    for (int port : dataPorts) {
      try {
        long slot = (Long) RedisProbe.command(port, "CLUSTER", "KEYSLOT", key);
        for (Object range : (List<?>) RedisProbe.command(port, "CLUSTER", "SLOTS")) {
          List<?> r = (List<?>) range;
          if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
            return ((Long) ((List<?>) r.get(2)).get(1)).intValue();
          }
        }
      } catch (UncheckedIOException down) {
        // ask another node
      }
    }
    throw new AssertionError("no live cluster node knows the master of " + key);
  }

  /** Cluster: the port of the master on which a sharded channel matching {@code pattern} has a subscriber. */
  public int masterSubscribedTo(String pattern) {
    for (int master : masters()) {
      if (!((List<?>) RedisProbe.command(master, "PUBSUB", "SHARDCHANNELS", pattern)).isEmpty()) {
        return master;
      }
    }
    throw new AssertionError("no master has a subscriber to " + pattern);
  }

  /** Cluster: the ports of the masters now, as a live node sees them. */
  public List<Integer> masters() {
    List<Integer> masters = new ArrayList<>();
    for (int port : dataPorts) {
      try {
        for (Object range : (List<?>) RedisProbe.command(port, "CLUSTER", "SLOTS")) {
          int master = ((Long) ((List<?>) ((List<?>) range).get(2)).get(1)).intValue();
          if (!masters.contains(master)) {
            masters.add(master);
          }
        }
        return masters;
      } catch (UncheckedIOException down) {
        // ask another node
      }
    }
    throw new AssertionError("no live cluster node");
  }

  /** Sentinel: asks the sentinels for a failover while the master still runs (as for maintenance). */
  public void promoteReplica() {
    RedisProbe.command(sentinelPorts.get(0), "SENTINEL", "FAILOVER", "mymaster");
  }

  /** Cluster: a manual failover of this master's shard (its replica takes over; the master still runs). */
  public void promoteReplicaOf(int master) {
    String masterId = null;
    List<String[]> nodes = new ArrayList<>();
    for (String line : ((String) RedisProbe.command(master, "CLUSTER", "NODES")).split("\n")) {
      String[] f = line.split(" ");
      nodes.add(f);
      if (f[1].startsWith("127.0.0.1:" + master + "@")) {
        masterId = f[0];
      }
    }
    for (String[] f : nodes) {
      if (f[2].contains("slave") && f[3].equals(masterId)) {
        RedisProbe.command(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@'))), "CLUSTER", "FAILOVER");
        return;
      }
    }
    throw new AssertionError("no replica of " + master);
  }

  /** SIGKILL: the server is gone at once, with whatever its replica had not received yet. */
  public void kill(int port) {
    try {
      long pid = Long.parseLong(Files.readString(dir.resolve(port + ".pid")).trim());
      ProcessHandle.of(pid).ifPresent(p -> {
        p.destroyForcibly();
        p.onExit().join();
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (Files.exists(dir.resolve("ports"))) {
      script("down", dir.toString());
    }
    TempDirs.delete(dir);
  }

  private void script(String... args) {
    List<String> command = new ArrayList<>(List.of("bash", "scripts/redis-ha.sh"));
    command.addAll(List.of(args));
    Path out = dir.resolveSibling(dir.getFileName() + ".out");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("scripts/redis-ha.sh " + String.join(" ", args) + " did not finish");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("scripts/redis-ha.sh " + String.join(" ", args) + " failed: " + Files.readString(out));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      out.toFile().delete();
    }
  }
}
