package chat.protocol;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/PROTOCOL.md is a copy of the binding shared contract and must not drift from it. */
class ProtocolDocTest {
  @Test
  void repositoryCopyMatchesTheSharedContract() throws Exception {
    Path copy = Path.of("docs/PROTOCOL.md");
    assertTrue(Files.exists(copy));
    Path shared = Path.of("../shared/PROTOCOL.md");
    if (Files.exists(shared)) {
      assertEquals(Files.readString(shared), Files.readString(copy),
          "docs/PROTOCOL.md differs from ../shared/PROTOCOL.md: copy the shared one over");
    }
  }
}
