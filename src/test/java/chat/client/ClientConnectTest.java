package chat.client;

import chat.testing.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client connects before it asks anything, and says what to start when nothing answers. */
class ClientConnectTest extends ClientTestBase {

  @Test
  void nothingListeningIsToldBeforeTheMenuOrThePasswordPrompt() {
    int nobody = TestNode.freePort();
    for (String[] args : List.of(new String[0], new String[] {"-u", "1"})) {
      // stdin stays open: the client must give up by itself, not wait for a choice or a password
      ClientUnderTest c = ClientUnderTest.start(nobody, args);
      assertEquals(1, c.awaitExit(), c.output());
      c.close();
      assertTrue(c.output().startsWith("cannot connect to 127.0.0.1:" + nobody + ": Connection refused"), c.output());
      assertTrue(c.output().contains("(it listens on 6000: client --port 6000)"), c.output());
      assertTrue(c.output().contains("`scripts/cluster.sh up` (nginx on 8000: client --port 8000)"), c.output());
    }
  }

  @Test
  void theFirstCandidateThatAnswersIsWhereTheSessionStays() throws Exception {
    int nobody = TestNode.freePort();
    Endpoint cluster = new Endpoint("127.0.0.1", nobody, "the cluster's nginx");
    Endpoint single = new Endpoint("127.0.0.1", node.port(), "a single node");
    try (ClientSession session = new ClientSession(List.of(cluster, single), Duration.ofSeconds(10), Duration.ofSeconds(10), line -> {
    })) {
      assertEquals(single, session.connect());
      assertTrue(session.register(name("carol"), "pw") > 0, "the menu works on the connection found");
    }
    try (ClientSession session = new ClientSession(List.of(cluster, new Endpoint("127.0.0.1", nobody, null)), Duration.ofSeconds(10),
        Duration.ofSeconds(10), line -> {
        })) {
      ClientException e = assertThrows(ClientException.class, session::connect);
      assertEquals("cannot connect to 127.0.0.1:" + nobody + " (the cluster's nginx): Connection refused, nor to 127.0.0.1:"
          + nobody + ": Connection refused", e.getMessage());
    }
  }
}
