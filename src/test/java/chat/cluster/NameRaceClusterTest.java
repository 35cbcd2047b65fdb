package chat.cluster;

import chat.testing.TestClient;
import chat.testing.TestCluster;
import chat.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two nodes on one database register variants of one new name at the same moment: the store's
 * unique key on the folded name lets exactly one in, whichever node it reached; the others get
 * REG_ACK errno 1 as for any taken name.
 */
class NameRaceClusterTest {
  private static final int ROUNDS = 20;

  @Test
  void variantsOfOneNewNameRegisteredOnTwoNodesAtOnceLetExactlyOneIn() {
    try (TestCluster cluster = TestCluster.start(2, TestNode.cheapPasswordHashing())) {
      List<TestClient> clients = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        clients.add(cluster.node(i % 2).connect());
      }
      try {
        for (int round = 0; round < ROUNDS; round++) {
          String name = TestClient.uniqueName("Race Name");
          List<String> variants = List.of(name, name.toUpperCase(), "ｒａｃｅ ｎａｍｅ" + name.substring(9),
              name.toLowerCase());
          for (int i = 0; i < clients.size(); i++) {
            clients.get(i).send(new JsonObject().put("msgid", 4).put("name", variants.get(i)).put("password", "pw")
                .put("seq", round));
          }
          List<JsonObject> acks = new ArrayList<>();
          for (TestClient c : clients) {
            acks.add(c.expect(5));
          }
          assertEquals(1, acks.stream().filter(a -> a.getInteger("errno") == 0).count(), "round " + round + ": " + acks);
          acks.stream().filter(a -> a.getInteger("errno") != 0)
              .forEach(a -> assertEquals(1, a.getInteger("errno"), a::encode));
          // and the one name logs in on both nodes, by any of its forms
          long id = acks.stream().filter(a -> a.getInteger("errno") == 0).findFirst().orElseThrow().getLong("id");
          for (int n = 0; n < 2 && round == 0; n++) {
            TestClient c = cluster.node(n).connect();
            c.send(new JsonObject().put("msgid", 1).put("name", variants.get(3 - n)).put("password", "pw")
                .put("seq", "login"));
            JsonObject ack = c.expect(2);
            assertEquals(id, ack.getLong("id"), ack::encode);
            c.send(new JsonObject().put("msgid", 3).put("seq", "bye"));
            c.expect(15);
            c.close();
          }
        }
      } finally {
        clients.forEach(TestClient::close);
      }
    }
  }
}
