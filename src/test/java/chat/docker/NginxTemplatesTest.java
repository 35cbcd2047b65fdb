package chat.docker;

import chat.testing.TempDirs;
import chat.testing.TestNginx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both nginx configurations, as scripts/nginx-conf.sh writes them for this machine, checked by the
 * real nginx ({@code nginx -t}): nginx/nginx.conf (scripts/cluster.sh and the tests) and
 * docker/nginx.conf (compose). The compose nginx differs from this machine's in two things only,
 * which the rendering bridges: its upstreams are compose service names (here 127.0.0.1 ports), and
 * its nginx, nginx.org's build, has the stream module built in, where Debian's loads it from a file.
 * So docker/nginx.conf may load only module files the image ships; a load_module of
 * ngx_stream_module.so there stops nginx with "dlopen() ... failed" and compose never serves.
 */
class NginxTemplatesTest {
  /**
   * /usr/lib/nginx/modules in the nginx image (each also as -debug.so): the dynamic modules of
   * nginx.org's packages (nginx/docker-nginx#455, #725: stream is built in, `nginx -V` says --with-stream).
   */
  private static final Set<String> IMAGE_MODULE_FILES = Set.of("ngx_http_geoip_module.so",
      "ngx_http_image_filter_module.so", "ngx_http_js_module.so", "ngx_http_xslt_filter_module.so",
      "ngx_stream_geoip_module.so", "ngx_stream_js_module.so");
  private static final String IMAGE_MODULES = "/usr/lib/nginx/modules/";

  private final Path dir = TempDirs.create("chat-nginx-t-");

  @AfterEach
  void clean() {
    TempDirs.delete(dir);
  }

  @Test
  void theShippedConfigAsTheClusterScriptWritesItPassesNginxT() throws IOException {
    assertPasses(rendered(Map.of()));
  }

  @Test
  void theComposeConfigLoadsOnlyWhatTheImageShipsAndPassesNginxT() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker/compose.yaml")));
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
    String image = String.valueOf(services.get("nginx").get("image"));
    assertTrue(image.startsWith("nginx:"), "the modules below are those of the official image, not of " + image);
    for (String module : loadedModules(Files.readString(Path.of("docker/nginx.conf")))) {
      assertTrue(module.startsWith(IMAGE_MODULES)
              && IMAGE_MODULE_FILES.contains(module.substring(IMAGE_MODULES.length()).replace("-debug.so", ".so")),
          "docker/nginx.conf loads " + module + ", which " + image + " does not have: nginx would stop with"
              + " \"dlopen() failed\" (the image has the stream module built in)");
    }
    assertPasses(rendered(Map.of("NGINX_TEMPLATE", "docker/nginx.conf")));
  }

  @Test
  void theScriptLoadsTheStreamModuleAsThisNginxNeedsItOnce() throws IOException {
    String conf = Files.readString(rendered(Map.of("NGINX_TEMPLATE", "docker/nginx.conf")));
    String version = TestNginx.version();
    List<String> loaded = loadedModules(conf);
    if (version.contains("--with-stream=dynamic")) {
      assertEquals(1, loaded.size(), conf);
      assertTrue(loaded.get(0).endsWith("/ngx_stream_module.so"), conf);
      assertTrue(Files.isRegularFile(Path.of(loaded.get(0))), "the file this nginx has: " + loaded.get(0));
    } else {
      assertTrue(version.contains("--with-stream "), "nginx without the stream module: " + version);
      assertEquals(List.of(), loaded, "built in: nothing to load");
    }
    assertEquals(loaded, loadedModules(Files.readString(rendered(Map.of()))),
        "the same line for either template, whatever the template itself says");
  }

  /** The template rendered by scripts/nginx-conf.sh for two nodes and their web ports, as for a test cluster. */
  private Path rendered(Map<String, String> env) throws IOException {
    Path conf = dir.resolve("nginx-" + env.size() + ".conf");
    TestNginx.render(env, List.of("127.0.0.1:18000", "127.0.0.1:16000", "127.0.0.1:16002",
        "--web", "127.0.0.1:18080", "127.0.0.1:18100", "127.0.0.1:18101"), conf);
    return conf;
  }

  private void assertPasses(Path conf) throws IOException {
    TestNginx.Check check = TestNginx.check(dir, conf);
    assertEquals(0, check.exit(), () -> check.output() + "\n" + read(conf));
    assertTrue(check.output().contains("test is successful"), check.output());
  }

  private static List<String> loadedModules(String conf) {
    Matcher m = Pattern.compile("(?m)^\\s*load_module\\s+([^;\\s]+)\\s*;").matcher(conf);
    List<String> modules = new ArrayList<>();
    while (m.find()) {
      modules.add(m.group(1));
    }
    return modules;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
