package chat.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The classic C++ client's wire behaviour, replayed: each request is JSON followed by one NUL, and
 * each reply is read with ONE recv into a zeroed 1024-byte buffer, then parsed as one JSON text
 * (a C string: it ends at the first NUL, so at most 1023 bytes can be used). Whatever the server
 * sends a legacy session must survive that rule, or the real client aborts.
 */
public final class ClassicClient implements AutoCloseable {
  private static final int RECV_BYTES = 1024;
  private static final ObjectMapper STRICT = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private ClassicClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  public static ClassicClient connect(int port) {
    try {
      Socket socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      return new ClassicClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void send(JsonObject request) {
    try {
      out.write((request.encode() + "\0").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One recv, parsed as exactly one JSON object, as the classic client does; fails otherwise. */
  public JsonObject recv() {
    byte[] buffer = new byte[RECV_BYTES];
    int n;
    try {
      socket.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
      n = in.read(buffer, 0, RECV_BYTES);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("nothing arrived within " + TestClient.TIMEOUT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (n < 0) {
      fail("the server closed the connection");
    }
    assertTrue(n < RECV_BYTES, "a reply of " + n + " bytes leaves the C string without its terminating NUL");
    String text = new String(buffer, 0, n, StandardCharsets.UTF_8);
    try {
      return new JsonObject(STRICT.writeValueAsString(STRICT.readTree(text)));
    } catch (IOException e) {
      throw new AssertionError("one read is not one JSON text (" + n + " bytes): " + text, e);
    }
  }

  /** Asserts that nothing arrives for a while. */
  public void expectSilence(Duration wait) {
    try {
      socket.setSoTimeout((int) wait.toMillis());
      byte[] buffer = new byte[RECV_BYTES];
      int n = in.read(buffer);
      assertEquals(-2, n, "expected nothing but got " + new String(buffer, 0, Math.max(n, 0), StandardCharsets.UTF_8));
    } catch (SocketTimeoutException quiet) {
      // nothing came: as expected
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
