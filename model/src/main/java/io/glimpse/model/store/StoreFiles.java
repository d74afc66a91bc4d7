package io.glimpse.model.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** File operations of {@link FileModelStore}: copying an artifact durably, syncing, cleaning up. */
final class StoreFiles {

  private static final Logger logger = LoggerFactory.getLogger(StoreFiles.class);

  private StoreFiles() {}

  /** Copies the regular files of an artifact (flat, no links) and syncs them and the directory. */
  static void copyArtifact(Path source, Path target) throws IOException {
    List<Path> files;
    try (Stream<Path> entries = Files.list(source)) {
      files = entries.toList();
    }
    for (Path file : files) {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(
            file + " is not a regular file; an artifact holds only regular files");
      }
      Path copy = target.resolve(file.getFileName().toString());
      Files.copy(file, copy, LinkOption.NOFOLLOW_LINKS);
      sync(copy);
    }
    sync(target);
  }

  /** Forces a file's or directory's contents (and a directory's entries) to disk. */
  static void sync(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      logger.warn("Could not remove {}: {}", dir, e.toString());
    }
  }
}
