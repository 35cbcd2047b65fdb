package chat.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What travels on a node's channel reads back as it was written. */
class EnvelopeTest {
  @Test
  void signalsTravelSeveralToAnEnvelopeAndReadBackWhole() {
    List<RemoteNodes.Signal> signals = List.of(
        new RemoteNodes.Signal(List.of(14L, 15L), new Relayed(null, 0, 13, null, "presence",
            "{\"msgid\":38,\"id\":13,\"state\":\"online\"}")),
        new RemoteNodes.Signal(List.of(16L), new Relayed(null, 0, 9, "n1-7", "receipts",
            "{\"msgid\":36,\"conv\":\"p:9:16\",\"id\":9,\"read\":4,\"note\":\"a\\nb\"}")));
    Envelope read = Envelope.parse(Envelope.signals(signals));
    assertEquals(Envelope.SIGNALS, read.kind());
    assertEquals(signals, read.signals());
  }

  @Test
  void aDeliveryAndItsReplyReadBackWhole() {
    Relayed m = new Relayed("g:3", 57, 13, "n1-7", null, "{\"msgid\":10,\"msg\":\"hi\"}");
    Envelope read = Envelope.parse(Envelope.message("d1", "n2-x", List.of(1L, 2L), m));
    assertEquals(new Envelope(Envelope.MESSAGE, "d1", "n2-x", List.of(1L, 2L), m, List.of()), read);
    assertEquals(List.of(2L), Envelope.parse(Envelope.reply("d1", List.of(2L))).userIds());
    assertEquals(List.of(), Envelope.parse(Envelope.reply("d1", List.of())).userIds());
  }

  @Test
  void aMangledEnvelopeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Envelope.parse("S 2\n1 13 - presence\n{}"));
    assertThrows(RuntimeException.class, () -> Envelope.parse("S x"));
    assertThrows(IllegalArgumentException.class, () -> Envelope.parse("Q -"));
  }
}
