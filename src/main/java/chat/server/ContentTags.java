package chat.server;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tags the web client's files by their content (ETag: a hash of the bytes), in front of the static
 * handler: every node of a cluster gives a file the same tag, and a new version gets a new one at
 * once, also during a rolling upgrade (a date would be each node's own, of when it first served
 * the file). Browsers revalidate each time ({@code no-cache}) and get 304 while the tag holds.
 */
final class ContentTags implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final String root;
  private final Map<String, Future<String>> tags = new ConcurrentHashMap<>();

  ContentTags(Vertx vertx, String root) {
    this.vertx = vertx;
    this.root = root;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (path.endsWith("/")) {
      path += "index.html";
    }
    String file = root + path;
    tags.computeIfAbsent(file, f -> vertx.fileSystem().readFile(f).map(ContentTags::tag)).onComplete(tag -> {
      if (tag.failed()) {
        // no such file: the static handler answers 404
        tags.remove(file);
        ctx.next();
        return;
      }
      ctx.response().putHeader(HttpHeaders.ETAG, tag.result()).putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
      if (tag.result().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
        ctx.response().setStatusCode(304).end();
      } else {
        ctx.next();
      }
    });
  }

  private static String tag(Buffer content) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(content.getBytes());
      return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 22) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
