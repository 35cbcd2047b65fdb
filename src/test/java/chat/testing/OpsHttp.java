package chat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Plain GETs on a node's metrics port, and the Prometheus text format read back into numbers. */
public final class OpsHttp {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private OpsHttp() {
  }

  public record Response(int status, String body) {
  }

  public static Response get(int port, String path) {
    try {
      HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** One series of a scrape: the metric name, its labels, its value. */
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  /** A parsed {@code /metrics} page. */
  public static final class Scrape {
    private final List<Sample> samples = new ArrayList<>();
    private final String text;

    public Scrape(String text) {
      this.text = text;
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
        Map<String, String> labels = new HashMap<>();
        if (brace >= 0 && brace < space) {
          Matcher m = LABEL.matcher(line.substring(brace, line.lastIndexOf('}') + 1));
          while (m.find()) {
            labels.put(m.group(1), m.group(2));
          }
        }
        samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
      }
    }

    /** The sum over every series of {@code name} carrying these label pairs (0 when there is none). */
    public double value(String name, String... labelPairs) {
      double sum = 0;
      for (Sample s : samples) {
        if (s.name.equals(name) && matches(s.labels, labelPairs)) {
          sum += s.value;
        }
      }
      return sum;
    }

    public boolean has(String name, String... labelPairs) {
      return samples.stream().anyMatch(s -> s.name.equals(name) && matches(s.labels, labelPairs));
    }

    public Set<String> names() {
      Set<String> names = new TreeSet<>();
      samples.forEach(s -> names.add(s.name));
      return names;
    }

    public String text() {
      return text;
    }

    private static boolean matches(Map<String, String> labels, String[] pairs) {
      for (int i = 0; i + 1 < pairs.length; i += 2) {
        if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
          return false;
        }
      }
      return true;
    }
  }
}
