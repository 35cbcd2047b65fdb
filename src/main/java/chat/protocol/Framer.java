package chat.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Cuts the inbound byte stream into JSON objects, incrementally: objects may be separated by
 * newlines, NUL bytes or nothing, and split anywhere. Every NUL byte is skipped (one can never be
 * part of JSON text). An object larger than the limit, or anything that is not a JSON object,
 * fails the stream once; nothing is read after that.
 */
public final class Framer implements Handler<Buffer> {

  /** Where whole frames go. */
  public interface Sink {
    void frame(ObjectNode frame);

    void fail(ErrorCode code, String reason);
  }

  // no field-name symbol table per connection: it weighed on every idle connection (docs/PERFORMANCE.md)
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
      .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final int maxFrameBytes;
  private final Sink sink;
  /**
   * The frames in flight; none between frames with nothing buffered, so an idle connection holds no
   * parser, buffers or last chunk.
   */
  private Reader reader;
  private boolean failed;

  public Framer(int maxFrameBytes, Sink sink) {
    this.maxFrameBytes = maxFrameBytes;
    this.sink = sink;
  }

  @Override
  public void handle(Buffer chunk) {
    if (failed) {
      return;
    }
    byte[] bytes = chunk.getBytes();
    int length = removeNul(bytes);
    if (length == 0) {
      return;
    }
    try {
      if (reader == null) {
        reader = new Reader();
      }
      if (reader.read(bytes, length)) {
        reader.close();
        reader = null;
      }
    } catch (JsonProcessingException e) {
      fail(ErrorCode.BAD_JSON, "not JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      fail(ErrorCode.BAD_JSON, "not JSON: " + firstLine(e.getMessage()));
    }
  }

  /**
   * The transport's message ended (a WebSocket text frame): it must have held whole objects, so one
   * still open is bad JSON rather than something to wait for.
   */
  public void endOfMessage() {
    if (reader != null && !failed) {
      fail(ErrorCode.BAD_JSON, "not JSON: a WebSocket frame must hold whole objects, and this one ends inside one");
    }
  }

  /** Whether part of a frame has arrived and the rest has not (bytes are buffered). */
  public boolean inFrame() {
    return reader != null;
  }

  private void fail(ErrorCode code, String reason) {
    failed = true;
    sink.fail(code, reason);
  }

  /** One parser and the frame it is building, from the first byte after a pause to the next pause. */
  private final class Reader {
    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    // requests are flat objects: room for two levels, it grows for a client that nests deeper
    private final ArrayDeque<ContainerNode<?>> open = new ArrayDeque<>(2);
    private String fieldName;
    /** Bytes fed to this parser, and where the frame being read starts among them. */
    private long fed;
    private long frameStart;

    Reader() throws IOException {
      parser = FACTORY.createNonBlockingByteArrayParser();
      feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }

    /** Emits the frames this chunk completes; true when it ends between frames with nothing buffered. */
    boolean read(byte[] bytes, int length) throws IOException {
      feeder.feedInput(bytes, 0, length);
      fed += length;
      JsonToken token;
      while (!failed && (token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
        onToken(token);
      }
      if (failed) {
        return false;
      }
      long tail = fed - frameStart;
      if (tail > maxFrameBytes) {
        fail(ErrorCode.FRAME_TOO_LARGE, "frame larger than " + maxFrameBytes + " bytes");
        return false;
      }
      // with no object open, what follows the last frame is either blank or the start of a bad value
      return open.isEmpty() && tail <= length && blank(bytes, length - (int) tail, length);
    }

    /** Gives the parser's buffers back to Jackson's per-thread recycler. */
    void close() throws IOException {
      parser.close();
    }

    private void onToken(JsonToken token) throws IOException {
      switch (token) {
        case START_OBJECT -> {
          if (open.isEmpty()) {
            // the parser has just read the one-byte '{'; its token location is one past it
            frameStart = parser.currentLocation().getByteOffset() - 1;
          }
          ObjectNode node = NODES.objectNode();
          attach(node);
          open.push(node);
        }
        case START_ARRAY -> {
          ArrayNode node = NODES.arrayNode();
          attach(node);
          open.push(node);
        }
        case END_OBJECT, END_ARRAY -> {
          ContainerNode<?> done = open.pop();
          if (open.isEmpty()) {
            long end = parser.currentLocation().getByteOffset();
            if (end - frameStart > maxFrameBytes) {
              fail(ErrorCode.FRAME_TOO_LARGE, "frame larger than " + maxFrameBytes + " bytes");
              return;
            }
            frameStart = end;
            sink.frame((ObjectNode) done);
          }
        }
        case FIELD_NAME -> fieldName = parser.currentName();
        case VALUE_STRING -> attach(NODES.textNode(parser.getText()));
        case VALUE_NUMBER_INT -> attach(switch (parser.getNumberType()) {
          case INT -> parser.getIntValue() == 0 && parser.getTextLength() > 1
              ? new ExactNumber(parser.getText(), NODES.numberNode(0)) // -0
              : NODES.numberNode(parser.getIntValue());
          case LONG -> NODES.numberNode(parser.getLongValue());
          default -> NODES.numberNode(parser.getBigIntegerValue());
        });
        // a double would write 1E2 back as 100.0 and 1e309 as "Infinity"
        case VALUE_NUMBER_FLOAT -> attach(new ExactNumber(parser.getText(), NODES.numberNode(parser.getDoubleValue())));
        case VALUE_TRUE -> attach(NODES.booleanNode(true));
        case VALUE_FALSE -> attach(NODES.booleanNode(false));
        case VALUE_NULL -> attach(NODES.nullNode());
        default -> fail(ErrorCode.BAD_JSON, "unexpected " + token);
      }
    }

    private void attach(JsonNode node) {
      ContainerNode<?> parent = open.peek();
      if (parent == null) {
        if (!node.isObject()) {
          fail(ErrorCode.BAD_JSON, "a message must be a JSON object");
        }
        return;
      }
      if (parent instanceof ObjectNode object) {
        object.set(fieldName, node);
      } else {
        ((ArrayNode) parent).add(node);
      }
    }
  }

  /** Moves every byte but NUL to the front of the (private) array; returns how many remain. */
  private static int removeNul(byte[] bytes) {
    int out = 0;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b != 0) {
        bytes[out++] = b;
      }
    }
    return out;
  }

  /** Whether bytes [from, to) are JSON whitespace only. */
  private static boolean blank(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed input";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
