package chat.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What an edit or a recall makes of stored JSON texts (PROTOCOL.md, "Privacy and the message
 * lifecycle"): the target as it is served from then on, and an edit entry whose text is gone with
 * its recalled target. Texts are parsed as the framer reads them, so every other field (numbers such
 * as {@code 1E2} included) is kept exactly.
 */
public final class Changes {
  public static final String EDIT = "edit";
  public static final String RECALL = "recall";

  private Changes() {
  }

  /** The target message with its newest text, edited at {@code ts} (epoch ms). */
  public static String edited(String target, String text, long ts) {
    ObjectNode m = Messages.parseObject(target);
    m.put("msg", text).put("edited", ts);
    return Messages.text(m);
  }

  /** The target message recalled: no text, nor when it was edited. */
  public static String recalled(String target) {
    ObjectNode m = Messages.parseObject(target);
    m.remove("msg");
    m.remove("edited");
    m.put("recalled", true);
    return Messages.text(m);
  }

  /** An edit entry (CHANGED) without its text: its target was recalled. */
  public static String withoutText(String edit) {
    ObjectNode m = Messages.parseObject(edit);
    m.remove("msg");
    return Messages.text(m);
  }
}
