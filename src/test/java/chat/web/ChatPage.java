package chat.web;

import chat.testing.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The web client as a user sees it in one browser: what they type and click, and what they can
 * read. Every wait polls the page with a limit, never sleeps a fixed time.
 */
final class ChatPage implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern ME = Pattern.compile("\\(#(\\d+)\\)$");

  private final Browser browser;
  private final WebDriver driver;
  private final String who;

  private ChatPage(Browser browser, String who) {
    this.browser = browser;
    this.driver = browser.driver();
    this.who = who;
  }

  /** A new browser (its own profile) showing the page at {@code url}. */
  static ChatPage open(String url, String who) {
    return open(url, who, false);
  }

  /** {@code anyCertificate}: the browser takes a test node's self-signed certificate. */
  static ChatPage open(String url, String who, boolean anyCertificate) {
    Browser browser = Browser.start(1200, 860, anyCertificate);
    ChatPage page = new ChatPage(browser, who);
    try {
      page.driver.get(url);
      return page;
    } catch (RuntimeException | Error e) {
      browser.close();
      throw e;
    }
  }

  Browser browser() {
    return browser;
  }

  // ---- account ----

  /**
   * Registers through the page (which logs in right after), checks that the welcome names the new
   * user and their id, and dismisses it; returns the new user id.
   */
  long register(String name, String password) {
    long id = signUp(name, password);
    assertEquals(List.of(name, Long.toString(id)), welcome());
    click("welcome-close");
    until("the welcome dismissed", () -> displayed("welcome") ? null : true);
    return id;
  }

  /** Registers through the page and waits until it is logged in; the welcome stays. Returns the new user id. */
  long signUp(String name, String password) {
    visible(By.id("register-form"));
    WebElement form = driver.findElement(By.id("register-form"));
    form.findElement(By.name("name")).sendKeys(name);
    form.findElement(By.name("password")).sendKeys(password);
    form.findElement(By.cssSelector("button[type=submit]")).click();
    return myId();
  }

  /** The name and the id the welcome shows (it must be shown). */
  List<String> welcome() {
    visible(By.id("welcome"));
    return List.of(driver.findElement(By.id("welcome-name")).getText(), driver.findElement(By.id("welcome-id")).getText());
  }

  void login(long id, String password) {
    submitLogin(id, password);
    myId();
  }

  /** Logs in with a name typed where the id goes; returns the id the page then shows. */
  long loginByName(String name, String password) {
    submitLogin(name, password);
    return myId();
  }

  /** Fills in the login form and clicks "Log in", without waiting for what comes of it. */
  void submitLogin(long id, String password) {
    submitLogin(Long.toString(id), password);
  }

  /** Fills in the login form's one field (an id or a name) and the password, and clicks "Log in". */
  void submitLogin(String user, String password) {
    visible(By.id("login-form"));
    WebElement form = driver.findElement(By.id("login-form"));
    WebElement field = form.findElement(By.name("user"));
    field.clear();
    field.sendKeys(user);
    WebElement secret = form.findElement(By.name("password"));
    secret.clear();
    secret.sendKeys(password);
    loginButton().click();
  }

  /** The login form's button (it reads "Cancel" while a login turned away waits to try again). */
  WebElement loginButton() {
    return driver.findElement(By.cssSelector("#login-form button[type=submit]"));
  }

  /** What the login form says about a login waiting to be tried again, once it says something. */
  String loginRetryShown() {
    return until("a line saying the login will be tried again", () -> {
      String text = driver.findElement(By.id("login-retry")).getText();
      return text.isEmpty() ? null : text;
    });
  }

  /** The login form's error line, once it says something. */
  String loginErrorShown() {
    return until("a login error", () -> {
      String text = driver.findElement(By.id("login-error")).getText();
      return text.isEmpty() ? null : text;
    });
  }

  /** The logged-in user's id, once the page shows it. */
  long myId() {
    String me = until("logged in", () -> {
      String text = driver.findElement(By.id("me")).getText();
      return ME.matcher(text).find() && "ready".equals(phase()) ? text : null;
    });
    Matcher m = ME.matcher(me);
    m.find();
    return Long.parseLong(m.group(1));
  }

  String phase() {
    return driver.findElement(By.tagName("body")).getAttribute("data-phase");
  }

  void reload() {
    driver.navigate().refresh();
  }

  /** Waits until the page says it is connected and logged in. */
  void connected() {
    until("connected", () -> "online".equals(driver.findElement(By.id("link-state")).getAttribute("data-state"))
        && "ready".equals(phase()) ? true : null);
  }

  void disconnectedSeen() {
    until("the page notices the lost connection", () -> {
      String state = driver.findElement(By.id("link-state")).getAttribute("data-state");
      return "online".equals(state) ? null : state;
    });
  }

  // ---- contacts ----

  void contactsTab() {
    driver.findElement(By.id("tab-contacts")).click();
  }

  void chatsTab() {
    driver.findElement(By.id("tab-chats")).click();
  }

  /** Finds a user by a prefix of their name and adds them as a friend. */
  void findAndAddFriend(String namePrefix, long id) {
    contactsTab();
    WebElement input = driver.findElement(By.cssSelector("#find-form input[name=name]"));
    input.clear();
    input.sendKeys(namePrefix, Keys.ENTER);
    By add = By.cssSelector(".found[data-user='" + id + "'] button.add-friend");
    clickWhenVisible(add);
    friend(id);
  }

  /** The friend entry of {@code id}, once listed. */
  WebElement friend(long id) {
    contactsTab();
    return visible(friendItem(id));
  }

  /** Waits until friend {@code id} is shown {@code state} ("online" / "offline"). */
  void friendShown(long id, String state) {
    contactsTab();
    until("friend " + id + " " + state, () ->
        driver.findElements(By.cssSelector("#friend-list [data-friend='" + id + "'][data-state='" + state + "']"))
            .isEmpty() ? null : true);
  }

  /** Waits until {@code id} is no longer among the friends. */
  void notAFriend(long id) {
    contactsTab();
    until("friend " + id + " gone", () ->
        driver.findElements(friendItem(id)).isEmpty() ? true : null);
  }

  /** Removes the friend whose conversation is open (the button asks for a second click). */
  void removeOpenFriend() {
    WebElement remove = visible(By.id("unfriend-btn"));
    remove.click();
    remove.click();
  }

  void openFriend(long id) {
    contactsTab();
    clickWhenVisible(friendItem(id));
    visible(By.cssSelector("#conv-pane[data-conv]"));
  }

  long createGroup(String name, String desc) {
    contactsTab();
    WebElement form = driver.findElement(By.id("create-group-form"));
    form.findElement(By.name("name")).sendKeys(name);
    form.findElement(By.name("desc")).sendKeys(desc);
    form.findElement(By.cssSelector("button[type=submit]")).click();
    String conv = until("the new group open", () -> {
      String key = driver.findElement(By.id("conv-pane")).getAttribute("data-conv");
      return key != null && key.startsWith("g:") && driver.findElement(By.id("conv-title")).getText().equals(name)
          ? key : null;
    });
    return Long.parseLong(conv.substring(2));
  }

  void joinGroup(long id) {
    contactsTab();
    WebElement form = driver.findElement(By.id("join-group-form"));
    form.findElement(By.name("id")).sendKeys(Long.toString(id), Keys.ENTER);
    until("group " + id + " open", () -> ("g:" + id).equals(driver.findElement(By.id("conv-pane"))
        .getAttribute("data-conv")) ? true : null);
  }

  /** The members panel of the open group: the user ids listed. */
  List<Long> members() {
    WebElement button = driver.findElement(By.id("members-btn"));
    if (driver.findElement(By.id("members")).getAttribute("hidden") != null) {
      button.click();
    }
    return driver.findElements(By.cssSelector("#member-list .member")).stream()
        .map(e -> Long.parseLong(e.getAttribute("data-user"))).sorted().toList();
  }

  void membersShown(List<Long> ids) {
    until("members " + ids, () -> members().equals(ids.stream().sorted().toList()) ? true : null);
  }

  void leaveOpenGroup() {
    WebElement leave = visible(By.id("leave-btn"));
    leave.click();
    leave.click();
  }

  // ---- conversations ----

  /** Opens a conversation from the Chats list. */
  void openConv(String key) {
    chatsTab();
    clickWhenVisible(convItem(key));
    until("conversation " + key + " open", () -> key.equals(openConv()) ? true : null);
  }

  String openConv() {
    return driver.findElement(By.id("conv-pane")).getAttribute("data-conv");
  }

  /** The unread count the Chats list shows for a conversation (0 without a badge). */
  int unread(String key) {
    chatsTab();
    WebElement item = visible(convItem(key));
    return Integer.parseInt(item.getAttribute("data-unread"));
  }

  void unreadShown(String key, int count) {
    until(key + " shows " + count + " unread", () -> unread(key) == count ? true : null);
  }

  /** The conversations of the Chats list, top (most recent) first. */
  List<String> convOrder() {
    chatsTab();
    return driver.findElements(By.cssSelector("#conv-list .conv-item")).stream()
        .map(e -> e.getAttribute("data-conv")).toList();
  }

  /** Types a message into the open conversation and presses Enter (any text: emoji go in by script). */
  void send(String text) {
    WebElement box = driver.findElement(By.id("text"));
    if (text.codePoints().allMatch(c -> c <= 0xFFFF) && !text.contains("\n")) {
      box.sendKeys(text);
    } else {
      compose(text);
    }
    box.sendKeys(Keys.ENTER);
  }

  /**
   * Puts {@code text} into the composer as if typed, at once: ChromeDriver types characters of the
   * Basic Multilingual Plane only, and thousands of them slowly.
   */
  void compose(String text) {
    script("const box = document.getElementById('text'); box.value = arguments[0];"
        + " box.dispatchEvent(new Event('input'));", text);
  }

  /** Types without sending (so the other side sees "typing"). */
  void type(String text) {
    driver.findElement(By.id("text")).sendKeys(text);
  }

  void clearComposer() {
    WebElement box = driver.findElement(By.id("text"));
    box.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
  }

  /** The texts of the open conversation, oldest first, as shown. */
  List<String> texts() {
    return retrying(() -> driver.findElements(By.cssSelector("#msg-list .msg .text")).stream()
        .map(e -> e.getAttribute("textContent")).toList());
  }

  /** Waits for a message with exactly this text in the open conversation; returns its element. */
  WebElement message(String text) {
    return until("message '" + text + "'", () -> {
      for (WebElement m : driver.findElements(By.cssSelector("#msg-list .msg"))) {
        if (text.equals(m.findElement(By.className("text")).getAttribute("textContent"))) {
          return m;
        }
      }
      return null;
    });
  }

  /**
   * Opens the menu of the message with this text and clicks its action ({@code reply}, {@code edit},
   * {@code recall}), {@code clicks} times (a recall asks to be clicked again). The list is rebuilt by
   * whatever arrives, so everything is looked up again until the clicks are done.
   */
  void messageAction(String text, String action, int clicks) {
    message(text);
    until(action + " of '" + text + "'", () -> {
      for (WebElement m : driver.findElements(By.cssSelector("#msg-list .msg"))) {
        if (text.equals(m.findElement(By.className("text")).getAttribute("textContent"))) {
          if (!m.getAttribute("class").contains("menu-open")) {
            m.findElement(By.className("menu-btn")).click();
          }
          WebElement button = m.findElement(By.cssSelector(".msg-actions ." + action));
          for (int i = 0; i < clicks; i++) {
            button.click();
          }
          return true;
        }
      }
      return null;
    });
  }

  /** What the message with this text quotes as the one it replies to. */
  String replyQuote(String text) {
    return message(text).findElement(By.className("reply-quote")).getAttribute("textContent");
  }

  /** Waits until what the message with this text quotes ends with {@code quoted}. */
  void quoteShown(String text, String quoted) {
    until("'" + text + "' quoting '..." + quoted + "'", () -> replyQuote(text).endsWith(quoted) ? true : null);
  }

  /** Whether the message with this text says it was edited. */
  boolean edited(String text) {
    return !message(text).findElements(By.className("edited")).isEmpty();
  }

  /** Waits until my message with this text shows {@code status} (sent, delivered, read). */
  void statusShown(String text, String status) {
    until("'" + text + "' " + status, () -> {
      for (WebElement m : driver.findElements(By.cssSelector("#msg-list .msg.mine"))) {
        if (text.equals(m.findElement(By.className("text")).getAttribute("textContent"))
            && status.equals(m.getAttribute("data-status"))) {
          return true;
        }
      }
      return null;
    });
  }

  String status(String text) {
    return message(text).getAttribute("data-status");
  }

  /**
   * Waits for a message with this text in the open conversation; returns what the typing line said
   * at that moment (read together with the list).
   */
  String typingWhenShown(String text) {
    return until("message '" + text + "'", () -> (String) script(
        "const shown = [...document.querySelectorAll('#msg-list .msg .text')].some(e => e.textContent === arguments[0]);"
            + " return shown ? document.getElementById('typing').textContent : null;", text));
  }

  /**
   * The open conversation as listed, top to bottom: each message's text, "day: " and the label of a
   * day's separator, "new messages" for the divider above the first unread one.
   */
  List<String> timeline() {
    return strings("return [...document.querySelectorAll('#msg-list > li')].map(li =>"
        + " li.classList.contains('day') ? 'day: ' + li.textContent"
        + " : li.classList.contains('new-divider') ? 'new messages' : li.querySelector('.text').textContent);");
  }

  /** What the composer's counter says ("" while the text is far from the server's limit). */
  String textCount() {
    return driver.findElement(By.id("text-count")).getText();
  }

  boolean sendEnabled() {
    return driver.findElement(By.cssSelector("#composer button[type=submit]")).isEnabled();
  }

  /** The texts of the elements {@code by} finds, in page order. */
  List<String> texts(By by) {
    return retrying(() -> driver.findElements(by).stream().map(WebElement::getText).toList());
  }

  /** Whether the empty composer's placeholder fits on its one line (a longer one wraps and scrolls). */
  boolean placeholderFits() {
    return (Boolean) script("const box = document.getElementById('text'); const style = getComputedStyle(box);"
        + " const ctx = document.createElement('canvas').getContext('2d'); ctx.font = style.font;"
        + " const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);"
        + " return box.value === '' && box.placeholder !== '' && ctx.measureText(box.placeholder).width <= room;");
  }

  /** The visible elements that reach beyond the window's right edge (a phone would scroll sideways). */
  List<String> overflowing() {
    return strings("const width = document.documentElement.clientWidth;"
        + " return [...document.querySelectorAll('body *')].filter(e => e.getClientRects().length > 0"
        + " && e.getBoundingClientRect().right > width + 0.5).map(e => e.tagName + '#' + e.id + '.' + e.className);");
  }

  /** The preview line of a conversation in the Chats list. */
  String preview(String key) {
    chatsTab();
    return visible(convItem(key)).findElement(By.className("preview")).getText();
  }

  /** The keys this page keeps in localStorage. */
  List<String> storedKeys() {
    return strings("return Object.keys(localStorage).filter(k => k.startsWith('clusterchat.')).sort();");
  }

  /** Waits until the typing line says {@code name} is typing. */
  void typingShown(String name) {
    until(name + " typing", () -> driver.findElement(By.id("typing")).getText().contains(name + " is typing") ? true : null);
  }

  /** Scrolls the open conversation to its top (older messages load). */
  void scrollToTop() {
    ((JavascriptExecutor) driver).executeScript("document.getElementById('messages').scrollTop = 0;");
  }

  /** Keys pressed in whatever has the focus. */
  void keys(CharSequence keys) {
    driver.switchTo().activeElement().sendKeys(keys);
  }

  void click(String id) {
    driver.findElement(By.id(id)).click();
  }

  boolean displayed(String id) {
    return driver.findElement(By.id(id)).isDisplayed();
  }

  /** The window's size, as a phone's or a laptop's. */
  void resize(int width, int height) {
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** A script that returns an array of strings. */
  @SuppressWarnings("unchecked")
  private List<String> strings(String js) {
    return (List<String>) script(js);
  }

  void screenshot(java.nio.file.Path png) {
    browser.screenshot(png);
  }

  private static By friendItem(long id) {
    return By.cssSelector("#friend-list [data-friend='" + id + "']");
  }

  private static By convItem(String key) {
    return By.cssSelector(".conv-item[data-conv='" + key + "']");
  }

  // ---- waiting ----

  WebElement visible(By by) {
    return until(by.toString(), () -> shown(by));
  }

  /** The first element {@code by} finds, if it is displayed now. */
  private WebElement shown(By by) {
    List<WebElement> found = driver.findElements(by);
    return !found.isEmpty() && found.get(0).isDisplayed() ? found.get(0) : null;
  }

  /**
   * Clicks what {@code by} finds once it is shown. Lists are rebuilt by new messages and presence
   * changes, so an element found a moment ago may be gone by the click: it is looked up again.
   */
  void clickWhenVisible(By by) {
    until("a click on " + by, () -> {
      WebElement element = shown(by);
      if (element == null) {
        return null;
      }
      element.click();
      return true;
    });
  }

  /** Polls {@code probe} until it returns non-null; fails with the page's state after TIMEOUT. */
  <T> T until(String what, Supplier<T> probe) {
    Function<WebDriver, T> check = d -> {
      try {
        return probe.get();
      } catch (StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
        return null;
      }
    };
    try {
      return new WebDriverWait(driver, TIMEOUT, Duration.ofMillis(100)).until(check);
    } catch (TimeoutException e) {
      return fail(who + ": no " + what + " within " + TIMEOUT.toSeconds() + " s; link: "
          + driver.findElement(By.id("link-state")).getText() + "; notice: "
          + driver.findElement(By.id("notice")).getText() + "; messages: " + texts() + "\nconsole:\n"
          + browser.console());
    }
  }

  private static <T> T retrying(Supplier<T> read) {
    for (int i = 0; ; i++) {
      try {
        return read.get();
      } catch (StaleElementReferenceException e) {
        if (i == 5) {
          throw e;
        }
      }
    }
  }

  @Override
  public void close() {
    browser.close();
  }
}
