package chat.web;

import chat.testing.TestClient;
import chat.testing.V2;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user expects of a chat page beyond chatting (issue 23): typing that ends with the message,
 * a quick reconnection that does not pretend to know who is online, the server's text limit as one
 * types, failed messages kept in their place, a phone's width, nothing left behind after logging out,
 * strangers, days, unread messages and faces, a new user's id.
 */
class WebPageTest extends WebTestBase {
  /** Well below the default, so that the page can only know it from the login ack. */
  private static final int MAX_TEXT_CHARS = 300;

  @Override
  JsonObject overrides() {
    return new JsonObject().put("limits", new JsonObject().put("maxTextChars", MAX_TEXT_CHARS));
  }

  @Test
  void registeringLogsTheNewUserInAndShowsTheirIdUntilDismissed() {
    ChatPage alice = browser("alice");
    String name = TestClient.uniqueName("alice");
    long id = alice.signUp(name, "pw-alice");
    assertEquals(List.of(name, Long.toString(id)), alice.welcome());
    // it stays while the user does other things, a reload included
    alice.contactsTab();
    alice.chatsTab();
    alice.reload();
    alice.connected();
    assertEquals(List.of(name, Long.toString(id)), alice.welcome());
    alice.click("welcome-close");
    alice.until("dismissed", () -> alice.displayed("welcome") ? null : true);
    alice.reload();
    alice.connected();
    assertFalse(alice.displayed("welcome"), "dismissed for good");
  }

  @Test
  void theLoginFormTakesANameInAnyCaseOrWidthWhereTheIdGoes() {
    ChatPage alice = browser("alice");
    String name = TestClient.uniqueName("Alice Liddell");
    long id = alice.register(name, "pw-alice");
    alice.click("logout");
    alice.until("the login form", () -> "signed-out".equals(alice.phase()) ? true : null);
    // a wrong password by name reads like a wrong password by id, and an unknown name too
    alice.submitLogin(name, "wrong");
    assertEquals("id or password is invalid!", alice.loginErrorShown());
    alice.script("document.getElementById('login-error').textContent = '';");
    alice.submitLogin(TestClient.uniqueName("nobody"), "pw-alice");
    assertEquals("id or password is invalid!", alice.loginErrorShown());
    // full width, upper case: the same user, shown with the name as registered
    String typed = name.toUpperCase().replace("ALICE", "ＡＬＩＣＥ");
    assertEquals(id, alice.loginByName(typed, "pw-alice"));
    alice.connected();
    assertEquals(name + " (#" + id + ")", alice.script("return document.getElementById('me').textContent;"));
    // the saved session (by id) survives a reload
    alice.reload();
    alice.connected();
    assertEquals(id, alice.myId());
  }

  @Test
  void theTypingLineEndsWhenTheTypedMessageArrives() {
    ChatPage alice = browser("alice");
    ChatPage bob = browser("bob");
    PageFriends friends = PageFriends.aliceAddsBob(alice, bob);
    alice.openFriend(friends.bobId());
    bob.openFriend(friends.aliceId());
    bob.type("on my way");
    alice.typingShown(friends.bobName());
    bob.keys(Keys.ENTER);
    assertEquals("", alice.typingWhenShown("on my way"), "the message it announced has come");
  }

  @Test
  void whileTheNodeRestartsPresenceIsUnknownAndThePageComesBackByItself() {
    ChatPage alice = browser("alice");
    ChatPage bob = browser("bob");
    PageFriends friends = PageFriends.aliceAddsBob(alice, bob);
    alice.friendShown(friends.bobId(), "online");

    node.stopNode();
    alice.disconnectedSeen();
    alice.friendShown(friends.bobId(), "unknown");
    alice.openFriend(friends.bobId());
    alice.until("the header says so too", () ->
        alice.script("return document.getElementById('conv-sub').textContent;").toString().endsWith("unknown") ? true : null);

    node.startNode();
    alice.connected();
    bob.connected();
    alice.friendShown(friends.bobId(), "online");

    // the pauses between tries: from half a second, growing to 3 s give or take a random quarter
    @SuppressWarnings("unchecked")
    List<List<Long>> pauses = (List<List<Long>>) alice.script("return import('./js/link.js').then(m =>"
        + " [0, 1, 2, 3, 4, 5, 6, 7, 8, 20].map(n => [m.retryPause(n, 0), m.retryPause(n, 0.5), m.retryPause(n, 0.999)]));");
    assertEquals(500L, pauses.get(0).get(1), "the first try after half a second: " + pauses);
    long previous = 0;
    for (List<Long> p : pauses) {
      assertTrue(p.get(0) < p.get(1) && p.get(1) < p.get(2), "a random share: " + pauses);
      assertTrue(p.get(1) >= previous && p.get(2) <= 3750, "growing up to 3 s: " + pauses);
      previous = p.get(1);
    }
  }

  @Test
  void theComposerHoldsToTheServersTextLimitAsOneTypes() {
    ChatPage alice = browser("alice");
    ChatPage bob = browser("bob");
    PageFriends friends = PageFriends.aliceAddsBob(alice, bob);
    assertEquals((long) MAX_TEXT_CHARS, alice.script("return window.clusterchat.limits.maxTextChars;"), "from the login ack");
    alice.openFriend(friends.bobId());

    String near = "a".repeat(MAX_TEXT_CHARS - 20);
    alice.compose(near);
    assertEquals((MAX_TEXT_CHARS - 20) + " / " + MAX_TEXT_CHARS, alice.textCount());
    assertTrue(alice.sendEnabled());

    // characters as the server counts them: an emoji is one
    String over = "a".repeat(MAX_TEXT_CHARS - 1) + "😀😀";
    alice.compose(over);
    assertEquals("1 too long: " + (MAX_TEXT_CHARS + 1) + " / " + MAX_TEXT_CHARS + " characters", alice.textCount());
    assertFalse(alice.sendEnabled());
    alice.keys(Keys.ENTER);
    assertEquals(over, alice.script("return document.getElementById('text').value;"), "not sent, still there");
    assertEquals(List.of(), alice.texts());

    String exact = "a".repeat(MAX_TEXT_CHARS - 1) + "😀";
    alice.compose(exact);
    assertTrue(alice.sendEnabled());
    alice.keys(Keys.ENTER);
    alice.statusShown(exact, "delivered");
    assertEquals("", alice.textCount());
    bob.openConv(friends.conv());
    bob.message(exact);
  }

  @Test
  void aMessageTheServerRefusesStaysWhereItWasWrittenAndIsNeverThePreview() {
    ChatPage alice = browser("alice");
    ChatPage bob = browser("bob");
    PageFriends friends = PageFriends.aliceAddsBob(alice, bob);
    String pair = friends.conv();
    alice.openFriend(friends.bobId());
    alice.send("first");
    alice.statusShown("first", "delivered");

    // past the composer's check (an older page's outbox, another node's limit): the server says 108
    String refused = "x".repeat(MAX_TEXT_CHARS + 1);
    alice.script("window.clusterchat.send(arguments[0], arguments[1]);", pair, refused);
    alice.visible(By.cssSelector("#msg-list .msg.failed"));
    assertEquals("You: first", alice.preview(pair));
    alice.screenshot(Path.of("target", "screenshots", "web-client-refused.png"));

    bob.openConv(pair);
    bob.send("newer from bob");
    alice.message("newer from bob");
    assertEquals(List.of("first", refused, "newer from bob"), alice.texts(), "the refused one where it was written");
    alice.until("bob's message as the preview", () -> "newer from bob".equals(alice.preview(pair)) ? true : null);
  }

  @Test
  void onAPhoneTheUserNameAndTheComposersHintShowWhole() {
    ChatPage alice = browser("alice");
    alice.resize(390, 844);
    long aliceId = alice.register(TestClient.uniqueName("alice"), "pw-alice");
    try (TestClient bob = node.connect()) {
      long bobId = bob.registerAndLogin("bob");
      V2.befriend(bob, aliceId);
      long group = V2.createGroup(bob, "phones 📱");
      bob.send(new JsonObject().put("msgid", 10).put("groupid", group).put("msg", "who reads this on a phone? 📱").put("seq", "x"));
      bob.expect(14);
      alice.friend(bobId);
      alice.joinGroup(group);
      alice.until("only the conversation shown", () -> alice.displayed("conversation") && !alice.displayed("sidebar") ? true : null);
      alice.send("hello from a phone");
      alice.statusShown("hello from a phone", "delivered");

      assertTrue(alice.displayed("me"), "who is signed in");
      assertEquals(true, alice.script("const e = document.getElementById('me');"
          + " return e.getBoundingClientRect().width > 0 && e.scrollWidth <= e.clientWidth;"), "the name is not cut");
      assertTrue(alice.placeholderFits(), "the composer's placeholder on one line, not cut off");
      assertEquals(List.of(), alice.overflowing(), "nothing wider than the phone");
      alice.screenshot(Path.of("target", "screenshots", "web-client-mobile.png"));
    }
  }

  @Test
  void loggingOutLeavesNothingOfTheUsersReadingInTheBrowser() {
    ChatPage alice = browser("alice");
    ChatPage bob = browser("bob");
    PageFriends friends = PageFriends.aliceAddsBob(alice, bob);
    alice.openFriend(friends.bobId());
    alice.send("read me");
    bob.openConv(friends.conv());
    alice.statusShown("read me", "read");
    long id = friends.aliceId();
    alice.script("localStorage.setItem('clusterchat.open.999', '\"p:1:999\"');"); // an older page's, of another user
    assertEquals(List.of("clusterchat.open." + id, "clusterchat.open.999", "clusterchat.receipts." + id,
        "clusterchat.session"), alice.storedKeys());

    alice.click("logout");
    alice.visible(By.id("login-form"));
    assertEquals(List.of(), alice.storedKeys());
  }

  @Test
  void aStrangersMessageOffersToAddThemAsAFriend() {
    ChatPage alice = browser("alice");
    long aliceId = alice.register(TestClient.uniqueName("alice"), "pw-alice");
    try (TestClient carol = node.connect()) {
      long carolId = carol.registerAndLogin("carol");
      carol.chat(aliceId, "hi, we met at the conference", "c");
      carol.expect(14);
      String pair = V2.pair(aliceId, carolId);
      alice.openConv(pair);
      alice.message("hi, we met at the conference");
      assertEquals(List.of("day: Today", "hi, we met at the conference"), alice.timeline(), "all new: no divider");
      assertTrue(alice.visible(By.id("stranger")).getText().contains("is not your friend"));

      alice.screenshot(Path.of("target", "screenshots", "web-client-stranger.png"));
      alice.click("add-friend-btn");
      alice.friend(carolId);
      alice.until("the offer gone", () -> alice.displayed("stranger") ? null : true);
    }
  }

  @Test
  void aConversationShowsItsDaysWhereTheUnreadOnesStartAndWhoWrote() {
    ChatPage alice = browser("alice");
    long aliceId = alice.register(TestClient.uniqueName("alice"), "pw-alice");
    try (TestClient bob = node.connect()) {
      String bobName = TestClient.uniqueName("bob smith");
      long bobId = bob.register(bobName, "pw");
      V2.loginOk(bob, bobId, "pw");
      V2.befriend(bob, aliceId);
      long group = alice.createGroup("book club", "");
      V2.join(bob, group);
      String g = "g:" + group;
      groupChat(bob, group, "one");
      alice.message("one");

      // alice reads another conversation meanwhile
      alice.openFriend(bobId);
      groupChat(bob, group, "two");
      groupChat(bob, group, "three");
      alice.unreadShown(g, 2);
      alice.openConv(g);
      alice.message("three");
      assertEquals(List.of("day: Today", "one", "new messages", "two", "three"), alice.timeline());
      // each of bob's runs starts with his initials (a run starts again below the divider)
      assertEquals(List.of("BS", "BS"), alice.texts(By.cssSelector("#msg-list .msg .avatar")));
      assertEquals("BC", alice.visible(By.cssSelector(".conv-item[data-conv='" + g + "'] .avatar")).getText());
      alice.screenshot(Path.of("target", "screenshots", "web-client-unread.png"));

      // opened again later, it has nothing new
      alice.openFriend(bobId);
      alice.openConv(g);
      assertEquals(List.of("day: Today", "one", "two", "three"), alice.timeline());
    }
  }

  private static void groupChat(TestClient c, long group, String text) {
    c.send(new JsonObject().put("msgid", 10).put("groupid", group).put("msg", text).put("seq", text));
    c.expect(14);
  }
}
