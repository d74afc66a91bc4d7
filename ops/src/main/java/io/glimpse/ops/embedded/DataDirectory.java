package io.glimpse.ops.embedded;

import io.glimpse.model.files.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the broker keeps its logs and metadata: a directory the caller owns (kept across restarts)
 * or a temporary one (deleted on close).
 */
final class DataDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);

  private final Path given;
  private Path path;

  private DataDirectory(Path given) {
    this.given = given;
  }

  /** A caller-owned directory; fails now if it cannot be used. */
  static DataDirectory of(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    validate(absolute);
    return new DataDirectory(absolute);
  }

  /** A temporary directory, created on {@link #prepare()} and deleted on {@link #cleanUp()}. */
  static DataDirectory temporary() {
    return new DataDirectory(null);
  }

  /** Creates the directory when needed and returns its absolute path. */
  Path prepare() {
    try {
      path = given == null ? Files.createTempDirectory("glimpse-kafka-") : given;
      return Files.createDirectories(path);
    } catch (IOException e) {
      throw new EmbeddedStackException(
          "Could not create the Kafka data directory "
              + (given == null ? "in " + System.getProperty("java.io.tmpdir") : given)
              + ": "
              + e
              + ". Free some disk space or pass a writable directory.",
          e);
    }
  }

  /** The directory, once prepared; null before. */
  Path path() {
    return path;
  }

  /** Deletes a temporary directory; keeps a caller-owned one. */
  void cleanUp() {
    if (given != null || path == null) {
      return;
    }
    FileTrees.deleteQuietly(path);
  }

  private static void validate(Path dir) {
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw new EmbeddedStackException(
            "Kafka data directory "
                + dir
                + " is a file, not a directory. Remove or rename the file, or pass another path"
                + " (a missing directory is created).");
      }
      if (!Files.isWritable(dir)) {
        throw new EmbeddedStackException(
            "Kafka data directory "
                + dir
                + " is not writable. Fix its permissions or pass another.");
      }
      return;
    }
    Path ancestor = dir.getParent();
    while (ancestor != null && !Files.exists(ancestor)) {
      ancestor = ancestor.getParent();
    }
    if (ancestor == null || !Files.isDirectory(ancestor) || !Files.isWritable(ancestor)) {
      throw new EmbeddedStackException(
          "Kafka data directory "
              + dir
              + " cannot be created: "
              + ancestor
              + " is not a writable directory. Pass a path under a writable directory.");
    }
  }
}
