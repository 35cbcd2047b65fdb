package chat.bench;

import chat.protocol.Messages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the bench reads from a server, fed chunk by chunk to a connection over a fake socket:
 * replies and this run's chat messages come out whole and in order whatever separates the objects
 * (a newline as our server writes them, nothing as the classic server does, NUL) and wherever the
 * stream is cut.
 */
class BenchConnectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int RUN = 7;

  private final List<Buffer> written = new ArrayList<>();
  private final List<String> delivered = new ArrayList<>();
  private final List<String> unexpected = new ArrayList<>();
  private int stale;
  private int closed;
  private Handler<Buffer> input;
  private Handler<Void> onClose;

  private final BenchConnection connection = new BenchConnection(fakeSocket(), new BenchConnection.Trouble() {
    @Override
    public void unexpected(BenchConnection c, ObjectNode message) {
      unexpected.add(message.toString());
    }

    @Override
    public void closed(BenchConnection c) {
      closed++;
    }

    @Override
    public void stale(BenchConnection c, ObjectNode message) {
      stale++;
    }
  });

  /** A forwarded chat message as our server writes it (msgid first, mid added). */
  private static String ours(int stream, long seq) {
    return "{\"msgid\":6,\"id\":13,\"name\":\"li si\",\"toid\":14,\"msg\":\"bench:" + RUN + ":" + stream + ":" + seq
        + ":-42\",\"time\":\"2026-01-01 00:00:00\",\"mid\":99}";
  }

  /** The same as the classic server writes it (nlohmann json: keys sorted, padding after the payload). */
  private static String classic(int stream, long seq) {
    return "{\"id\":13,\"msg\":\"bench:" + RUN + ":" + stream + ":" + seq + ":123456789:xxxx\",\"msgid\":6,"
        + "\"name\":\"li si\",\"time\":\"2026-01-01 00:00:00\",\"toid\":14}";
  }

  private static final String LOGIN_ACK = "{\"msgid\":2,\"errno\":0,\"id\":13,\"name\":\"li si\",\"friends\":[],"
      + "\"groups\":[],\"offlinemsg\":[\"{\\\"msgid\\\":6,\\\"msg\\\":\\\"bench:1:0:0:1\\\"}\"],\"token\":\"t\",\"seq\":1}";
  private static final String ERROR = "{\"msgid\":99,\"errno\":106,\"errmsg\":\"no such user\",\"re\":6}";

  @Test
  void objectsBackToBackWithNoSeparator() {
    assertReadWhole("", List.of(""));
  }

  @Test
  void objectsSeparatedByNul() {
    assertReadWhole("\0", List.of("\0"));
  }

  @Test
  void objectsSeparatedByNewline() {
    assertReadWhole("\n", List.of("\n"));
  }

  @Test
  void mixedSeparatorsAndBlankBetween() {
    assertReadWhole("\n", List.of("", "\0", "\n", "\r\n", " \n\0"));
  }

  /**
   * The stream LOGIN_MSG_ACK, chats, an ERROR, chats (separated by {@code separators} in turn,
   * each object followed by {@code last}) read in one chunk, cut in two at every byte, and one
   * byte at a time.
   */
  private void assertReadWhole(String last, List<String> separators) {
    List<String> objects = List.of(LOGIN_ACK, ours(0, 0), classic(0, 1), ours(1, 0), ERROR, ours(0, 2), classic(1, 1));
    StringBuilder stream = new StringBuilder();
    for (int i = 0; i < objects.size(); i++) {
      stream.append(objects.get(i)).append(i == objects.size() - 1 ? last : separators.get(i % separators.size()));
    }
    byte[] bytes = stream.toString().getBytes(StandardCharsets.UTF_8);
    List<String> expected = List.of("0:0", "0:1", "1:0", "0:2", "1:1");

    for (int cut = 0; cut <= bytes.length; cut++) {
      BenchConnectionTest t = new BenchConnectionTest();
      Future<ObjectNode> login = t.loggingIn();
      t.feed(slice(bytes, 0, cut), slice(bytes, cut, bytes.length));
      t.assertRead(login, expected, "cut at " + cut);
    }

    BenchConnectionTest t = new BenchConnectionTest();
    Future<ObjectNode> login = t.loggingIn();
    for (byte b : bytes) {
      t.feed(new byte[] {b});
    }
    t.assertRead(login, expected, "one byte at a time");
  }

  private Future<ObjectNode> loggingIn() {
    connection.deliveries(RUN, (stream, seq, sentNanos) -> delivered.add(stream + ":" + seq));
    return connection.request(Messages.object(1).put("id", 13).put("password", "pw"));
  }

  private void assertRead(Future<ObjectNode> login, List<String> deliveries, String how) {
    assertTrue(login.succeeded(), how);
    assertEquals("t", login.result().path("token").textValue(), how);
    assertEquals(deliveries, delivered, how);
    assertEquals(1, unexpected.size(), how);
    assertTrue(unexpected.get(0).contains("\"errno\":106"), how);
    assertEquals(0, stale, how);
    assertEquals(0, closed, how);
  }

  @Test
  void chatNeverAnswersARequestAndEarlierRunsAreStale() {
    Future<ObjectNode> reply = connection.request(Messages.object(20));
    feed(ours(0, 0) + "\n");
    assertEquals(1, stale, "before a receiver is attached every chat message is stale");
    connection.deliveries(RUN, (stream, seq, sentNanos) -> delivered.add(stream + ":" + seq));
    feed(ours(0, 1).replace("bench:" + RUN + ":", "bench:3:") + "\n" + ours(0, 1) + "\n"
        + "{\"msgid\":6,\"msg\":\"hello\"}" + classic(0, 2) + "{\"msgid\":21}\n");
    assertEquals(List.of("0:1", "0:2"), delivered);
    assertEquals(3, stale, "another run's payload, then a chat message that is not the bench's");
    assertTrue(reply.succeeded());
    assertEquals(21, reply.result().path("msgid").intValue());
    assertEquals(List.of(), unexpected);
  }

  /** A push asked for with caps (PRESENCE here) answers no request: it goes to the signals handler, or is unexpected. */
  @Test
  void signalsNeverAnswerARequest() throws Exception {
    BenchUser user = new BenchUser(13, "li si", "pw", "t");
    Future<BenchConnection> login = Accounts.login(connection, user, Accounts.LoginBy.AUTO, false, PresenceStorm.CAPS);
    assertEquals(JSON.readTree("[\"presence\"]"), lastWritten().path("caps"));
    feed("{\"msgid\":2,\"errno\":0,\"id\":13,\"name\":\"li si\",\"friends\":[],\"groups\":[],\"offlinemsg\":[],"
        + "\"token\":\"t\",\"caps\":[\"presence\"],\"seq\":1}\n");
    assertTrue(login.succeeded());
    Future<ObjectNode> pong = connection.request(Messages.object(20));
    feed("{\"msgid\":38,\"id\":14,\"state\":\"online\"}\n");
    assertFalse(pong.isComplete(), "a PRESENCE push is no reply");
    assertEquals(1, unexpected.size(), "with no signals handler it is unexpected");
    List<String> signals = new ArrayList<>();
    connection.signals(m -> signals.add(m.path("state").textValue()));
    feed("{\"msgid\":38,\"id\":14,\"state\":\"offline\"}\n{\"msgid\":21}\n");
    assertEquals(List.of("offline"), signals);
    assertEquals(21, pong.result().path("msgid").intValue());
    assertTrue(Accounts.login(connection, user, Accounts.LoginBy.PASSWORD, true, PresenceStorm.CAPS).failed(),
        "a LOGIN with caps is never legacy");
  }

  @Test
  void notJsonIsReportedOnceAndClosesTheConnection() {
    Future<ObjectNode> reply = connection.request(Messages.object(20));
    feed("{\"msgid\":6,}\n");
    onClose.handle(null);
    assertEquals(1, unexpected.size(), unexpected::toString);
    assertTrue(unexpected.get(0).contains("unparsable"));
    assertTrue(reply.failed());
    assertEquals(0, closed, "the bench closed it: not reported a second time");
  }

  @Test
  void loginCarriesSeqUnlessLegacy() throws Exception {
    BenchUser user = new BenchUser(13, "li si", "pw", "old-token");
    Future<BenchConnection> ordinary = Accounts.login(connection, user, Accounts.LoginBy.AUTO, false);
    JsonNode sent = lastWritten();
    assertEquals(1, sent.path("msgid").intValue());
    assertEquals("old-token", sent.path("token").textValue());
    assertTrue(sent.has("seq"), "with seq the server does not take the session for a legacy one");
    feed("{\"msgid\":2,\"errno\":0,\"id\":13,\"name\":\"li si\",\"friends\":[],\"groups\":[],\"offlinemsg\":[],"
        + "\"token\":\"new-token\",\"seq\":1}\n");
    assertTrue(ordinary.succeeded());
    assertEquals("new-token", user.token());

    BenchConnectionTest t = new BenchConnectionTest();
    Future<BenchConnection> legacy = Accounts.login(t.connection, user, Accounts.LoginBy.PASSWORD, true);
    JsonNode classic = t.lastWritten();
    assertEquals(JSON.readTree("{\"msgid\":1,\"id\":13,\"password\":\"pw\"}"), classic, "exactly what the classic client sends");
    t.feed("{\"friends\":[],\"groups\":[],\"id\":13,\"msgid\":2,\"errno\":0,\"name\":\"li si\",\"offlinemsg\":[]}");
    assertTrue(legacy.succeeded(), "a legacy LOGIN_MSG_ACK has no token");
    assertEquals("new-token", user.token(), "the user keeps the token it had");
    assertTrue(Accounts.login(t.connection, user, Accounts.LoginBy.TOKEN, true).failed(),
        "a token login is never legacy");
  }

  @Test
  void payload() {
    Payload p = Payload.reusable();
    Buffer text = Buffer.buffer();
    Payload.append(text, RUN, 3, 12, -42, "");
    assertTrue(p.parse(text.toString()));
    assertEquals(RUN, p.run);
    assertEquals(3, p.stream);
    assertEquals(12, p.seq);
    assertEquals(-42, p.sentNanos);
    assertTrue(p.parse("bench:1:2:3:4:padding"));
    assertEquals(4, p.sentNanos);
    assertFalse(p.parse("bench:1:2:3"));
    assertFalse(p.parse("bench:1:2:x:4"));
    assertFalse(p.parse("hello"));
    assertFalse(p.parse(null));
  }

  private JsonNode lastWritten() throws Exception {
    Buffer last = written.get(written.size() - 1);
    assertEquals(0, last.getByte(last.length() - 1), "the legacy framing: a NUL after each request");
    return JSON.readTree(last.getString(0, last.length() - 1));
  }

  private void feed(String s) {
    feed(s.getBytes(StandardCharsets.UTF_8));
  }

  private void feed(byte[]... chunks) {
    for (byte[] chunk : chunks) {
      if (chunk.length > 0) {
        input.handle(Buffer.buffer(chunk));
      }
    }
  }

  private static byte[] slice(byte[] bytes, int from, int to) {
    byte[] out = new byte[to - from];
    System.arraycopy(bytes, from, out, 0, out.length);
    return out;
  }

  /** Records what the connection registers and writes; every other call does nothing. */
  @SuppressWarnings("unchecked")
  private NetSocket fakeSocket() {
    return (NetSocket) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {NetSocket.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "handler" -> input = (Handler<Buffer>) args[0];
            case "closeHandler" -> onClose = (Handler<Void>) args[0];
            case "write" -> written.add((Buffer) args[0]);
            default -> {
            }
          }
          Class<?> type = method.getReturnType();
          if (type == Future.class) {
            return Future.succeededFuture();
          }
          if (type.isInstance(proxy)) {
            return proxy;
          }
          if (type == boolean.class) {
            return false;
          }
          if (type == int.class) {
            return System.identityHashCode(proxy);
          }
          return type == String.class ? "fake socket" : null;
        });
  }
}
