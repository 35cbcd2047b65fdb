package chat.protocol;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RequestTest {
  private static Request with(String field, String value) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("msgid", 4).put(field, value);
    return Request.of(body);
  }

  @Test
  void loneSurrogatesAreFoundWhereverTheyAre() {
    assertEquals(-1, Request.loneSurrogate(""));
    assertEquals(-1, Request.loneSurrogate("a\ud83d\ude00b\udbff\udfff"));
    assertEquals(0, Request.loneSurrogate("\ud800"));
    assertEquals(0, Request.loneSurrogate("\ude00\ud83d"));
    assertEquals(2, Request.loneSurrogate("ab\ud83d"));
    assertEquals(3, Request.loneSurrogate("\ud83d\ude00x\udc00"));
    assertEquals(1, Request.loneSurrogate("x\ud800\ud800\udc00"));
  }

  @Test
  void everyTextFieldRefusesALoneSurrogateWith102NamingTheCharacter() {
    ChatException e = assertThrows(ChatException.class, () -> with("msg", "\ud83d\ude00x\udc00").chatText("msg", 10));
    assertEquals(ErrorCode.BAD_REQUEST, e.code());
    assertEquals("msg is not valid Unicode: a lone surrogate at character 3", e.getMessage());
    assertThrows(ChatException.class, () -> with("groupdesc", "d\ud800").optionalText("groupdesc"));
    assertEquals("ok\ud83d\ude00", with("name", "ok\ud83d\ude00").name("name", 3));
  }

  @Test
  void aNameHasNoWhiteSpaceAtEitherEnd() {
    for (String bad : new String[] {" a", "a ", "a\n", "\u2003a", "a\u00a0", "\u3000"}) {
      ChatException e = assertThrows(ChatException.class, () -> with("name", bad).name("name", 64), bad);
      assertEquals(ErrorCode.BAD_REQUEST, e.code());
    }
    assertEquals("li si", with("name", "li si").name("name", 64));
  }
}
