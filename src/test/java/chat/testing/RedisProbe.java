package chat.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a test Redis directly (RESP over a plain socket), to see what the nodes keep there: e.g.
 * whether a dead node's lease is still listed. Only for looking; tests never change Redis through it.
 */
public final class RedisProbe {
  private RedisProbe() {
  }

  /** One command; the reply as a String, a Long, a List of those, or null. */
  public static Object command(int port, String... args) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
      for (String arg : args) {
        request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The node incarnations holding a lease in the cluster's sorted set of nodes (expired ones included until reaped). */
  public static List<String> leasedNodes(TestRedis redis) {
    List<String> out = new ArrayList<>();
    for (Object key : (List<?>) command(redis.port(), "KEYS", "chat:*:nodes")) {
      for (Object node : (List<?>) command(redis.port(), "ZRANGE", (String) key, "0", "-1")) {
        out.add((String) node);
      }
    }
    return out;
  }

  /** How many sessions of this user presence holds in Redis (dead nodes' included until reaped). */
  public static long sessionsOf(TestRedis redis, long userId) {
    long n = 0;
    for (Object key : (List<?>) command(redis.port(), "KEYS", "chat:*:presence:" + userId)) {
      n += (Long) command(redis.port(), "HLEN", (String) key);
    }
    return n;
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    String line = line(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IllegalStateException("redis: " + line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int n = Integer.parseInt(line);
        if (n < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(n + 2);
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
      }
      case '*': {
        int n = Integer.parseInt(line);
        if (n < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          items.add(read(in));
        }
        return items;
      }
      default:
        throw new IllegalStateException("unexpected RESP type " + type);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\r') {
      if (b < 0) {
        throw new IOException("redis closed the connection");
      }
      buf.write(b);
    }
    in.read(); // '\n'
    return buf.toString(StandardCharsets.UTF_8);
  }
}
