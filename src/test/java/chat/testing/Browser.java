package chat.testing;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * A real headless Chromium, Debian's {@code chromium} driven through Debian's {@code chromedriver}
 * (both installed by scripts/services.sh; elsewhere, CHROMIUM_PATH and CHROMEDRIVER_PATH name
 * them), each with a fresh profile of its own, so two of them are two users with their own
 * localStorage. Both paths are given to Selenium, so Selenium Manager never runs and nothing is
 * downloaded; the browser's background services that would go online are off.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
  public static final Path CHROMEDRIVER =
      Path.of(System.getenv().getOrDefault("CHROMEDRIVER_PATH", "/usr/bin/chromedriver"));
  /**
   * Quiet: "Unable to find CDP implementation matching 156" at every start. The tests speak WebDriver
   * only, never the DevTools protocol, so no selenium-devtools-vNNN (tied to one browser version) is
   * needed. Held here: java.util.logging keeps loggers only while someone does.
   */
  private static final Logger CDP_VERSION_FINDER = quiet("org.openqa.selenium.devtools.CdpVersionFinder");

  private final Path profile;
  private final ChromeDriverService service;
  private final ChromeDriver driver;

  private Browser(Path profile, ChromeDriverService service, ChromeDriver driver) {
    this.profile = profile;
    this.service = service;
    this.driver = driver;
  }

  /** A browser window of {@code width} x {@code height} pixels. */
  public static Browser start(int width, int height) {
    return start(width, height, false);
  }

  /**
   * The same; {@code anyCertificate}: it takes any TLS certificate (a test node's self-signed one)
   * for pages and WebSockets alike.
   */
  public static Browser start(int width, int height, boolean anyCertificate) {
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(p)) {
        throw new AssertionError(p + " is missing: the browser tests need Debian's chromium and chromium-driver"
            + " (scripts/services.sh installs them), or CHROMIUM_PATH and CHROMEDRIVER_PATH");
      }
    }
    Path profile = TempDirs.create("chat-chromium-");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .withLogFile(profile.resolve("chromedriver.log").toFile())
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        // nothing goes online: no updates, sync, metrics, field trials, safe browsing lists, …
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--disable-features=Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions",
        "--metrics-recording-only",
        "--no-first-run",
        "--no-default-browser-check",
        "--no-pings",
        // and no name is looked up (it would still ask DNS for clients2.google.com and accounts.google.com):
        // the tests open addresses, never names
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
        "--password-store=basic",
        "--lang=en-US",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile.resolve("profile"));
    options.setAcceptInsecureCerts(anyCertificate);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    try {
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
      return new Browser(profile, service, driver);
    } catch (RuntimeException | Error e) {
      service.stop();
      TempDirs.delete(profile);
      throw e;
    }
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.SEVERE);
    return logger;
  }

  public WebDriver driver() {
    return driver;
  }

  /** Saves what the window shows as a PNG. */
  public void screenshot(Path png) {
    try {
      Files.createDirectories(png.toAbsolutePath().getParent());
      Files.write(png, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The page's console output so far (for failure messages). */
  public String console() {
    try {
      return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
          .map(LogEntry::toString).collect(Collectors.joining("\n"));
    } catch (RuntimeException e) {
      return "(no console log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } catch (RuntimeException ignored) {
      // the browser is gone already
    } finally {
      service.stop();
      TempDirs.delete(profile);
    }
  }
}
