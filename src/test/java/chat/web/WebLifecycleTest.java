package chat.web;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 24 in the page: replying with a quoted preview, editing and recalling from a message's menu
 * (shown in place on the other side), and blocking a friend from the conversation's header and a
 * stranger from the bar above their messages.
 */
class WebLifecycleTest extends WebTestBase {

  @Test
  void replyEditRecallAndBlock() {
    ChatPage alice = browser("alice");
    ChatPage bob = browser("bob");
    PageFriends friends = PageFriends.aliceAddsBob(alice, bob);
    alice.openFriend(friends.bobId());
    bob.openFriend(friends.aliceId());
    alice.send("see you at 6");
    bob.message("see you at 6");

    // bob replies from the message's menu: the composer says to what, the reply quotes it
    bob.messageAction("see you at 6", "reply", 1);
    bob.until("the reply banner", () -> bob.displayed("compose-banner") ? true : null);
    bob.send("make it 7?");
    alice.quoteShown("make it 7?", ": see you at 6");

    // alice edits hers: the composer holds its text; both sides show it edited, the quote follows
    alice.messageAction("see you at 6", "edit", 1);
    assertEquals("see you at 6", alice.script("return document.getElementById('text').value;"));
    alice.compose("see you at 7");
    alice.keys(Keys.ENTER);
    bob.message("see you at 7");
    assertTrue(bob.edited("see you at 7"));
    alice.message("see you at 7");
    assertTrue(alice.edited("see you at 7"));
    bob.quoteShown("make it 7?", ": see you at 7");

    // and recalls it: "message recalled" in place, on both sides and in the quote
    alice.messageAction("see you at 7", "recall", 2);
    bob.message("message recalled");
    alice.message("message recalled");
    bob.quoteShown("make it 7?", ": message recalled");
    assertFalse(bob.texts().contains("see you at 7"));
    bob.screenshot(Path.of("target/screenshots/web-lifecycle-recalled.png"));

    // bob blocks alice from the header of their conversation: neither may write, she is no friend
    clickTwice(bob, "block-friend-btn");
    bob.until("the blocked bar", () -> bob.displayed("blocked-bar") ? true : null);
    assertFalse(bob.sendEnabled());
    alice.notAFriend(friends.bobId());
    alice.openConv(friends.conv());
    alice.send("hello?");
    alice.until("the refusal", () -> alice.texts(By.cssSelector("#msg-list .msg.failed .status")).stream()
        .anyMatch(t -> t.contains("you cannot message this user")) ? true : null);
    bob.screenshot(Path.of("target/screenshots/web-lifecycle-blocked.png"));

    // unblocked, alice is a stranger who may write again; bob blocks her from the stranger's bar
    bob.click("unblock-btn");
    bob.until("the stranger bar", () -> bob.displayed("stranger") ? true : null);
    alice.send("sorry");
    bob.message("sorry");
    clickTwice(bob, "block-btn");
    bob.until("the blocked bar again", () -> bob.displayed("blocked-bar") ? true : null);
    assertEquals("true", bob.script("return String(window.clusterchat.blocked.has(arguments[0]));", friends.aliceId()));
  }

  /** A button that acts on its second click (block). */
  private static void clickTwice(ChatPage page, String id) {
    page.visible(By.id(id));
    page.click(id);
    page.click(id);
  }
}
