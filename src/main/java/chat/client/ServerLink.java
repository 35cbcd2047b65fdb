package chat.client;

import chat.protocol.ErrorCode;
import chat.protocol.Framer;
import chat.protocol.Messages;
import chat.protocol.MsgId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One TCP connection to a node. Requests go out in the legacy framing and carry a {@code seq};
 * a reader thread cuts the server's NDJSON into messages, completes the request whose
 * {@code seq} a reply echoes, and hands everything else (chat messages, PRESENCE and SOCIAL pushes)
 * to the listener.
 */
final class ServerLink implements AutoCloseable {

  interface Listener {
    /** A message that answers no request of ours: a chat message, a PRESENCE or SOCIAL push, an unsolicited error. */
    void pushed(ObjectNode message);

    /** The connection ended, for whatever reason; called once. */
    void closed(ServerLink link);
  }

  /** The connection ended before the reply came. */
  static final class ClosedException extends IOException {
    ClosedException() {
      super("connection closed");
    }
  }

  private static final int CONNECT_TIMEOUT_MS = 5_000;
  /** No receive limit worth the name: a login reply carries every offline message at once. */
  private static final int MAX_FRAME_BYTES = Integer.MAX_VALUE;
  /** Replies that echo a seq; chat messages and other pushes never answer a request of ours. */
  private static final Set<Integer> REPLIES = Set.of(MsgId.LOGIN_ACK, MsgId.REG_ACK, MsgId.ADD_FRIEND_ACK,
      MsgId.CREATE_GROUP_ACK, MsgId.ADD_GROUP_ACK, MsgId.CHAT_ACK, MsgId.LOGINOUT_ACK, MsgId.SYNC_ACK,
      MsgId.CONVERSATIONS_ACK, MsgId.READ_ACK, MsgId.REMOVE_FRIEND_ACK, MsgId.LEAVE_GROUP_ACK, MsgId.FIND_USER_ACK,
      MsgId.CARD_ACK, MsgId.CHANGE_PASSWORD_ACK, MsgId.BLOCK_ACK, MsgId.UNBLOCK_ACK, MsgId.PONG, MsgId.ERROR);

  private final Socket socket;
  private final OutputStream out;
  private final Listener listener;
  private final Map<String, CompletableFuture<ObjectNode>> pending = new ConcurrentHashMap<>();
  private final AtomicLong seqs = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();

  private ServerLink(Socket socket, Listener listener) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.listener = listener;
  }

  static ServerLink open(String host, int port, Listener listener) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      socket.setTcpNoDelay(true);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    ServerLink link = new ServerLink(socket, listener);
    Thread reader = new Thread(link::read, "chat-client-reader");
    reader.setDaemon(true);
    reader.start();
    return link;
  }

  /** Sends {@code message} with a fresh seq; the future completes with the reply that echoes it. */
  CompletableFuture<ObjectNode> request(ObjectNode message) {
    String seq = Long.toString(seqs.incrementAndGet());
    CompletableFuture<ObjectNode> reply = new CompletableFuture<>();
    pending.put(seq, reply);
    reply.whenComplete((r, e) -> pending.remove(seq));
    try {
      write(message.deepCopy().put("seq", Long.parseLong(seq)));
    } catch (IOException e) {
      reply.completeExceptionally(e);
      close();
    }
    if (closed.get()) {
      reply.completeExceptionally(new ClosedException());
    }
    return reply;
  }

  /** Sends without expecting an answer (PING). */
  void send(ObjectNode message) {
    try {
      write(message);
    } catch (IOException e) {
      close();
    }
  }

  private synchronized void write(ObjectNode message) throws IOException {
    out.write(Messages.encode(message).getBytes());
    out.flush();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    ended();
  }

  private void read() {
    Framer framer = new Framer(MAX_FRAME_BYTES, new Framer.Sink() {
      @Override
      public void frame(ObjectNode frame) {
        dispatch(frame);
      }

      @Override
      public void fail(ErrorCode code, String reason) {
        listener.pushed(Messages.error(code, "unreadable data from the server: " + reason));
        close();
      }
    });
    byte[] chunk = new byte[16 * 1024];
    try (InputStream in = socket.getInputStream()) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        framer.handle(Buffer.buffer(n).appendBytes(chunk, 0, n));
      }
    } catch (IOException ignored) {
      // reset or closed: same as the end of the stream
    } finally {
      close();
    }
  }

  private void dispatch(ObjectNode message) {
    JsonNode seq = message.get("seq");
    CompletableFuture<ObjectNode> waiting = seq != null && REPLIES.contains(message.path("msgid").asInt())
        ? pending.get(seq.asText())
        : null;
    if (waiting != null) {
      waiting.complete(message);
    } else if (message.path("msgid").asInt() != MsgId.PONG) {
      listener.pushed(message);
    }
  }

  private void ended() {
    if (closed.compareAndSet(false, true)) {
      pending.values().forEach(f -> f.completeExceptionally(new ClosedException()));
      listener.closed(this);
    }
  }
}
