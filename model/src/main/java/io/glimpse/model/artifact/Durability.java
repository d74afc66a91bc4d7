package io.glimpse.model.artifact;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fsync for files and directories, so a published artifact survives a power cut: the rename that
 * publishes it must not reach the disk before the files it names.
 */
final class Durability {

  private static final Logger logger = LoggerFactory.getLogger(Durability.class);

  private Durability() {}

  /** Syncs every regular file in a directory, then the directory itself. */
  static void syncTree(Path dir) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
          }
        }
      }
    }
    sync(dir);
  }

  /** Syncs a directory's entries; best effort, since not every platform can open a directory. */
  static void sync(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      logger.debug("Cannot fsync directory {} on this platform: {}", dir, e.toString());
    }
  }
}
