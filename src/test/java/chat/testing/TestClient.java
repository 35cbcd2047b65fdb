package chat.testing;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A blocking client over a real socket, framing its requests as the legacy client does (each
 * object followed by one NUL byte). A reader thread queues every line the server sends.
 */
public final class TestClient implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final JsonObject CLOSED = new JsonObject().put("closed", true);
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final Socket socket;
  private final OutputStream out;
  private final LinkedBlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
  private final List<JsonObject> setAside = new ArrayList<>();
  private volatile boolean closed;

  private TestClient(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    Thread reader = new Thread(this::read, "test-client-reader");
    reader.setDaemon(true);
    reader.start();
  }

  public static TestClient connect(int port) {
    try {
      Socket socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      return new TestClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A connection from a chosen loopback address (e.g. 127.0.0.2), to tell clients apart by address. */
  public static TestClient connectFrom(String localAddress, int port) {
    try {
      Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(localAddress), 0);
      socket.setTcpNoDelay(true);
      return new TestClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A TLS connection to a node serving {@code certificate} (PEM) for localhost: the client trusts
   * that certificate only, and checks the host name.
   */
  public static TestClient connectTls(int port, Path certificate) {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(certificate)) {
        trust.setCertificateEntry("node", CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
      SSLParameters params = socket.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(params);
      socket.setTcpNoDelay(true);
      socket.startHandshake();
      return new TestClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A connection that first sends a PROXY protocol v1 header, as nginx with {@code proxy_protocol on}
   * does, so the node sees {@code clientAddress} as the client.
   */
  public static TestClient connectAs(int port, String clientAddress) {
    TestClient c = connect(port);
    c.sendRaw("PROXY TCP4 " + clientAddress + " 127.0.0.1 5555 " + port + "\r\n");
    return c;
  }

  /** The TLS protocol this connection negotiated (null for plain TCP). */
  public String tlsProtocol() {
    return socket instanceof SSLSocket ssl ? ssl.getSession().getProtocol() : null;
  }

  /** A name no other test uses. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        inbox.add(new JsonObject(line));
      }
    } catch (IOException ignored) {
      // the socket closed
    } finally {
      closed = true;
      inbox.add(CLOSED);
    }
  }

  public TestClient send(JsonObject message) {
    return sendRaw((message.encode() + "\0").getBytes(StandardCharsets.UTF_8));
  }

  public TestClient sendRaw(String text) {
    return sendRaw(text.getBytes(StandardCharsets.UTF_8));
  }

  public TestClient sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The next message; fails when none comes in time or the connection closed. */
  public JsonObject next() {
    JsonObject m = poll(TIMEOUT);
    assertNotNull(m, "no message from the server within " + TIMEOUT);
    if (m == CLOSED) {
      throw new AssertionError("connection closed while a message was expected");
    }
    return m;
  }

  public JsonObject expect(int msgid) {
    JsonObject m = next();
    assertEquals(msgid, m.getInteger("msgid"), () -> "expected msgid " + msgid + " but got " + m.encode());
    return m;
  }

  /** The next message is ack {@code msgid} (a LOGIN or REG answer) refusing with {@code errno}. */
  public JsonObject expectRefused(int msgid, int errno) {
    JsonObject m = expect(msgid);
    assertEquals(errno, m.getInteger("errno"), () -> "expected errno " + errno + " but got " + m.encode());
    assertNotNull(m.getString("errmsg"), m::encode);
    return m;
  }

  /**
   * The next message with {@code msgid}, setting aside those with {@code aside} that come first (a
   * sender's acks mixed with the messages it receives); {@link #drained} gives those back.
   */
  public JsonObject expectIgnoring(int msgid, int aside) {
    while (true) {
      JsonObject m = next();
      if (m.getInteger("msgid") == msgid) {
        return m;
      }
      assertEquals(aside, m.getInteger("msgid"), () -> "expected msgid " + msgid + " or " + aside + ": " + m.encode());
      setAside.add(m);
    }
  }

  /** The messages {@link #expectIgnoring} set aside, in order; forgotten once given back. */
  public List<JsonObject> drained(int msgid) {
    List<JsonObject> out = new ArrayList<>();
    setAside.removeIf(m -> m.getInteger("msgid") == msgid && out.add(m));
    return out;
  }

  public JsonObject expectError(int errno) {
    JsonObject m = expect(99);
    assertEquals(errno, m.getInteger("errno"), () -> "expected errno " + errno + " but got " + m.encode());
    return m;
  }

  /** The next message if one comes within {@code wait}, else null; fails if the connection closed. */
  public JsonObject nextWithin(Duration wait) {
    JsonObject m = poll(wait);
    if (m == CLOSED) {
      throw new AssertionError("connection closed while a message was awaited");
    }
    return m;
  }

  /** Reads and drops what arrives until nothing has for {@code quiet}; returns what was dropped. */
  public List<JsonObject> drainUntilQuiet(Duration quiet) {
    List<JsonObject> dropped = new ArrayList<>();
    for (JsonObject m = nextWithin(quiet); m != null; m = nextWithin(quiet)) {
      dropped.add(m);
    }
    return dropped;
  }

  /** Asserts that nothing arrives for a while. */
  public void expectSilence(Duration wait) {
    JsonObject m = poll(wait);
    assertNull(m, () -> "expected nothing but got " + m.encode());
  }

  /** True once the server closed the connection (after any messages still queued). */
  public boolean awaitClosed(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject m = poll(Duration.ofMillis(100));
      if (m == CLOSED) {
        return true;
      }
    }
    return false;
  }

  private JsonObject poll(Duration wait) {
    try {
      return inbox.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  public boolean isClosed() {
    return closed;
  }

  // --- the common flows ---

  public long register(String name, String password) {
    send(new JsonObject().put("msgid", 4).put("name", name).put("password", password));
    JsonObject ack = expect(5);
    assertEquals(0, ack.getInteger("errno"), ack::encode);
    return ack.getLong("id");
  }

  /** A LOGIN as our own clients send it: with a seq, so the session is not a legacy one. */
  public JsonObject login(long id, String password) {
    send(new JsonObject().put("msgid", 1).put("id", id).put("password", password).put("seq", "login"));
    return expect(2);
  }

  /** A LOGIN exactly as the classic client sends it (no seq, token or caps): a legacy session. */
  public JsonObject legacyLogin(long id, String password) {
    send(new JsonObject().put("msgid", 1).put("id", id).put("password", password));
    return expect(2);
  }

  /**
   * A login that may still find the user's previous session being released (its close is noticed
   * asynchronously): retried while it answers errno 2, for at most 5 s.
   */
  public static JsonObject retryWhileInUse(Supplier<JsonObject> login) {
    return retryWhileInUse(login, Duration.ofSeconds(5));
  }

  /** The same for up to {@code bound}: a node cut off or killed lets its users go after a while. */
  public static JsonObject retryWhileInUse(Supplier<JsonObject> login, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    JsonObject ack = login.get();
    while (ack.getInteger("errno") == 2 && System.nanoTime() < deadline) {
      Waits.sleep(100);
      ack = login.get();
    }
    return ack;
  }

  /** Registers a fresh user and logs in as them; returns the user id. */
  public long registerAndLogin(String prefix) {
    long id = register(uniqueName(prefix), "pw-" + prefix);
    JsonObject ack = login(id, "pw-" + prefix);
    assertEquals(0, ack.getInteger("errno"), ack::encode);
    return id;
  }

  public JsonObject chat(long toId, String text, Object seq) {
    JsonObject m = new JsonObject().put("msgid", 6).put("toid", toId).put("msg", text)
        .put("time", "2026-11-25 10:00:00");
    if (seq != null) {
      m.put("seq", seq);
    }
    send(m);
    return m;
  }

  /** A one-to-one message the node must deliver at once; its CHAT_ACK. */
  public JsonObject chatDelivered(long toId, String text, Object seq) {
    chat(toId, text, seq);
    JsonObject ack = expect(14);
    assertEquals("delivered", ack.getString("status"), ack::encode);
    return ack;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
