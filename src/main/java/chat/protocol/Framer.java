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

  // no field-name symbol table per connection: it cost about 3 KiB of every idle connection
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
      .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final int maxFrameBytes;
  private final Sink sink;
  private final JsonParser parser;
  private final ByteArrayFeeder feeder;
  private final ArrayDeque<ContainerNode<?>> open = new ArrayDeque<>();
  private String fieldName;
  private long fed;
  private long frameStart;
  private boolean failed;

  public Framer(int maxFrameBytes, Sink sink) {
    this.maxFrameBytes = maxFrameBytes;
    this.sink = sink;
    try {
      this.parser = FACTORY.createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
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
      feeder.feedInput(bytes, 0, length);
      fed += length;
      JsonToken token;
      while (!failed && (token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
        onToken(token);
      }
    } catch (JsonProcessingException e) {
      fail(ErrorCode.BAD_JSON, "not JSON: " + firstLine(e.getOriginalMessage()));
      return;
    } catch (IOException e) {
      fail(ErrorCode.BAD_JSON, "not JSON: " + firstLine(e.getMessage()));
      return;
    }
    if (!failed && fed - frameStart > maxFrameBytes) {
      fail(ErrorCode.FRAME_TOO_LARGE, "frame larger than " + maxFrameBytes + " bytes");
    }
  }

  private void onToken(JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT -> {
        if (open.isEmpty()) {
          frameStart = parser.currentTokenLocation().getByteOffset();
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
        case INT -> NODES.numberNode(parser.getIntValue());
        case LONG -> NODES.numberNode(parser.getLongValue());
        default -> NODES.numberNode(parser.getBigIntegerValue());
      });
      case VALUE_NUMBER_FLOAT -> attach(NODES.numberNode(parser.getDoubleValue()));
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

  private void fail(ErrorCode code, String reason) {
    failed = true;
    open.clear();
    sink.fail(code, reason);
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

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed input";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
