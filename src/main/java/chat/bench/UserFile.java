package chat.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The users one run registered, as JSON lines of id/name/password/token, so that the next run
 * against the same server reuses them instead of paying registration (a slow password hash) again.
 */
final class UserFile {
  private final Path path;

  UserFile(Path path) {
    this.path = path;
  }

  List<BenchUser> load() {
    List<BenchUser> users = new ArrayList<>();
    if (!Files.exists(path)) {
      return users;
    }
    try {
      for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          users.add(BenchUser.fromJson(new JsonObject(line)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return users;
  }

  /** Rewrites the file with every user and their latest token. */
  void save(List<BenchUser> users) {
    StringBuilder out = new StringBuilder(users.size() * 128);
    for (BenchUser u : users) {
      out.append(u.toJson().encode()).append('\n');
    }
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
      Files.writeString(tmp, out, StandardCharsets.UTF_8);
      Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
