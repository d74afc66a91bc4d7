package io.glimpse.model.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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

  /**
   * Reads a path's attributes, or returns null when nothing is there; any other failure (say,
   * permission denied on a parent) is thrown, so that "cannot tell" is never taken for "absent".
   */
  static BasicFileAttributes attributes(Path path, boolean followLinks) throws IOException {
    try {
      return followLinks
          ? Files.readAttributes(path, BasicFileAttributes.class)
          : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Says in words why reading {@code path} failed, and what to check. */
  static String describe(Path path, IOException e) {
    String where =
        e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : path.toString();
    if (e instanceof AccessDeniedException) {
      return "permission denied on "
          + where
          + "; give the user running Glimpse read and search permission on the store";
    }
    if (e instanceof NoSuchFileException) {
      return where + " does not exist; check the store's mount, or re-publish the version";
    }
    if (e instanceof NotDirectoryException) {
      return where + " is not a directory";
    }
    return "cannot read " + where + " (" + e + "); check the store's disk and mount";
  }
}
