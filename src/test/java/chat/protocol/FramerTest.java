package chat.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FramerTest {
  private final List<ObjectNode> frames = new ArrayList<>();
  private ErrorCode failure;
  private int failures;
  private final Framer framer = new Framer(1024, new Framer.Sink() {
    @Override
    public void frame(ObjectNode frame) {
      frames.add(frame);
    }

    @Override
    public void fail(ErrorCode code, String reason) {
      failure = code;
      failures++;
    }
  });

  private void feed(String s) {
    framer.handle(Buffer.buffer(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void separatedByNulNewlineOrNothing() {
    feed("{\"msgid\":1}\0{\"msgid\":2}\n{\"msgid\":3}{\"msgid\":4}\r\n\0\0 {\"msgid\":5}");
    assertEquals(5, frames.size());
    for (int i = 0; i < 5; i++) {
      assertEquals(i + 1, frames.get(i).get("msgid").intValue());
    }
    assertNull(failure);
  }

  @Test
  void splitOneByteAtATime() {
    byte[] bytes = "{\"msgid\":6,\"msg\":\"h\u00e9llo \ud83d\ude00 \\\"q\\\"\",\"a\":[1,{\"b\":null}]}\0{\"msgid\":7}"
        .getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      framer.handle(Buffer.buffer(new byte[] {b}));
    }
    assertEquals(2, frames.size());
    assertEquals("h\u00e9llo \ud83d\ude00 \"q\"", frames.get(0).get("msg").textValue());
    assertEquals(1, frames.get(0).get("a").get(0).intValue());
    assertEquals(7, frames.get(1).get("msgid").intValue());
    assertNull(failure);
  }

  @Test
  void frameStartedAfterAWholeOneInTheSameChunk() {
    feed("{\"msgid\":1}\n{\"ms");
    feed("gid\":2}\n");
    feed("\n{\"msgid\":3}");
    assertEquals(3, frames.size());
    assertEquals(2, frames.get(1).get("msgid").intValue());
    assertNull(failure);
  }

  @Test
  void rootValueSplitAfterAWholeFrameIsBadJson() {
    feed("{\"msgid\":1} tr");
    feed("ue\n");
    assertEquals(1, frames.size());
    assertEquals(ErrorCode.BAD_JSON, failure);
  }

  @Test
  void garbageFailsOnceAfterTheGoodFrames() {
    feed("{\"msgid\":1}\0not json{\"msgid\":2}");
    feed("{\"msgid\":3}");
    assertEquals(1, frames.size());
    assertEquals(ErrorCode.BAD_JSON, failure);
    assertEquals(1, failures);
  }

  @Test
  void nonObjectRootIsBadJson() {
    feed("[1,2]");
    assertEquals(ErrorCode.BAD_JSON, failure);
    assertEquals(0, frames.size());
  }

  @Test
  void scalarRootIsBadJson() {
    feed("42 ");
    assertEquals(ErrorCode.BAD_JSON, failure);
  }

  @Test
  void frameLargerThanLimitInOneChunk() {
    feed("{\"msg\":\"" + "x".repeat(2000) + "\"}");
    assertEquals(ErrorCode.FRAME_TOO_LARGE, failure);
    assertEquals(0, frames.size());
  }

  @Test
  void frameLargerThanLimitNeverFinished() {
    feed("{\"msg\":\"");
    for (int i = 0; i < 20; i++) {
      feed("x".repeat(100));
    }
    assertEquals(ErrorCode.FRAME_TOO_LARGE, failure);
    assertEquals(1, failures);
  }

  @Test
  void framesJustUnderTheLimitPass() {
    String body = "{\"msg\":\"" + "y".repeat(1000) + "\"}";
    for (int i = 0; i < 5; i++) {
      feed(body + "\0");
    }
    assertEquals(5, frames.size());
    assertNull(failure);
  }

  /** A JSON object of exactly {@code bytes} bytes. */
  private static String objectOf(int bytes) {
    String head = "{\"msg\":\"";
    return head + "z".repeat(bytes - head.length() - 2) + "\"}";
  }

  @Test
  void aFrameOfExactlyTheLimitPassesAndOneByteMoreIsTooLarge() {
    feed(objectOf(1024) + "\0");
    assertEquals(1, frames.size());
    assertNull(failure);
    feed(objectOf(1025));
    assertEquals(1, frames.size());
    assertEquals(ErrorCode.FRAME_TOO_LARGE, failure);
  }

  @Test
  void theLimitIsExactWhenFedOneByteAtATime() {
    for (int size : new int[] {1024, 1025}) {
      for (byte b : (objectOf(size) + "\n").getBytes(StandardCharsets.UTF_8)) {
        framer.handle(Buffer.buffer(new byte[] {b}));
      }
    }
    assertEquals(1, frames.size());
    assertEquals(1024 - 10, frames.get(0).get("msg").textValue().length());
    assertEquals(ErrorCode.FRAME_TOO_LARGE, failure);
    assertEquals(1, failures);
  }

  @Test
  void theLimitCountsFromTheFrameNotFromWhatCameBefore() {
    feed("{\"msgid\":1}\0\n   " + objectOf(1024));
    assertEquals(2, frames.size());
    assertNull(failure);
  }

  @Test
  void everySeqIsEchoedExactlyAsSent() {
    String[] seqs = {"1e309", "1E2", "1.0000000000000001", "-0", "-0.0", "0", "-1", "2.50", "1e-400",
        "123456789012345678901234567890", "-9223372036854775809", "\"s\""};
    for (String seq : seqs) {
      for (byte b : ("{\"msgid\":20,\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8)) {
        framer.handle(Buffer.buffer(new byte[] {b}));
      }
    }
    assertNull(failure);
    assertEquals(seqs.length, frames.size());
    for (int i = 0; i < seqs.length; i++) {
      Request request = Request.of(frames.get(i));
      request.requireValid();
      ObjectNode pong = Messages.withSeq(Messages.object(MsgId.PONG), request.seq());
      assertEquals("{\"msgid\":21,\"seq\":" + seqs[i] + "}", new String(Messages.bytes(pong), StandardCharsets.UTF_8));
    }
  }

  @Test
  void numbersKeptAsSentAreStillNumbersAndFloatsAreNeverIntegers() {
    feed("{\"msgid\":1E0,\"toid\":-0,\"n\":2.5}");
    ObjectNode frame = frames.get(0);
    assertEquals(Request.NO_MSGID, Request.of(frame).msgid(), "1E0 is not an integer msgid");
    assertTrue(frame.get("toid").isIntegralNumber());
    assertEquals(0, frame.get("toid").longValue());
    assertTrue(frame.get("n").isNumber());
    assertEquals(2.5, frame.get("n").doubleValue());
  }

  @Test
  void aStoredMessageIsReadBackExactlyAsItWasWritten() {
    String stored = "{\"msgid\":6,\"id\":13,\"msg\":\"\u00e9\ud83d\ude00\",\"x\":1e309,\"y\":[1E2,-0]}";
    assertEquals(stored, Messages.text(Messages.parseObject(stored)));
  }

  /** What a framer with room enough makes of {@code json}: the frame, or the code it failed with. */
  private static Object frameOrFailure(String json) {
    Object[] out = new Object[1];
    new Framer(1 << 20, new Framer.Sink() {
      @Override
      public void frame(ObjectNode frame) {
        out[0] = frame;
      }

      @Override
      public void fail(ErrorCode code, String reason) {
        out[0] = code;
      }
    }).handle(Buffer.buffer(json));
    return out[0];
  }

  @Test
  void nestingDeeperThan1000AndNumbersLongerThan1000DigitsAreNotJson() {
    // the message object itself is the first level
    assertTrue(frameOrFailure("{\"a\":" + "[".repeat(999) + "]".repeat(999) + "}") instanceof ObjectNode);
    assertEquals(ErrorCode.BAD_JSON, frameOrFailure("{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}"));
    assertTrue(frameOrFailure("{\"seq\":" + "9".repeat(1000) + "}") instanceof ObjectNode);
    assertEquals(ErrorCode.BAD_JSON, frameOrFailure("{\"seq\":" + "9".repeat(1001) + "}"));
    assertEquals(ErrorCode.BAD_JSON, frameOrFailure("{\"seq\":0." + "9".repeat(1001) + "}"));
    assertTrue(frameOrFailure("{\"" + "k".repeat(50_000) + "\":1}") instanceof ObjectNode);
    assertEquals(ErrorCode.BAD_JSON, frameOrFailure("{\"" + "k".repeat(50_001) + "\":1}"));
  }
}
