package io.glimpse.model.files;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deleting a directory tree: the one implementation the store, the trainer's checkpoints and
 * scratch directories, the pipeline's private model copies and the CLI's work directories share.
 * Links are deleted, never followed, so a link inside a tree cannot take files outside it along.
 */
public final class FileTrees {
  private static final Logger LOG = LoggerFactory.getLogger(FileTrees.class);

  private FileTrees() {}

  /**
   * Deletes {@code root} and everything under it; a missing tree is fine.
   *
   * @throws IOException the first file or directory that could not be deleted
   */
  public static void delete(Path root) throws IOException {
    if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * Deletes {@code root} and everything under it, logging a warning instead of throwing when
   * something stays behind (for clean-up that must not fail the work it follows).
   *
   * @return whether the tree is gone
   */
  public static boolean deleteQuietly(Path root) {
    try {
      delete(root);
      return true;
    } catch (IOException e) {
      LOG.warn("Could not remove {}: {}; delete it by hand", root, e.toString());
      return false;
    }
  }
}
