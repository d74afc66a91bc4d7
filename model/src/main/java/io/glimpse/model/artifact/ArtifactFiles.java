package io.glimpse.model.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * File handling shared by the writer, the archive and the loader. Nothing here follows a symbolic
 * link: artifacts are plain files in a plain directory, and a link could point anywhere.
 */
final class ArtifactFiles {

  private ArtifactFiles() {}

  /**
   * Lists a directory's entries by name, refusing links and anything but regular files.
   *
   * @return file name to path, sorted by name
   */
  static Map<String, Path> listRegularFiles(Path dir) throws IOException, ModelArtifactException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new ModelArtifactException(
          dir + " does not exist; check the artifact path (artifactUri)");
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new ModelArtifactException(
          dir
              + " is not a directory (a symbolic link to one is refused too); pass the artifact"
              + " directory itself");
    }
    Map<String, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        BasicFileAttributes attrs =
            Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attrs.isSymbolicLink() || !attrs.isRegularFile()) {
          throw new ModelArtifactException(
              entry.getFileName()
                  + " in "
                  + dir
                  + " is "
                  + (attrs.isSymbolicLink() ? "a symbolic link" : "not a regular file")
                  + "; an artifact holds only regular files. Remove it or re-publish the artifact");
        }
        files.put(entry.getFileName().toString(), entry);
      }
    }
    return files;
  }

  /** Reads a whole file, refusing one over {@code maxBytes} however it grows while read. */
  static byte[] read(Path file, long maxBytes) throws IOException, ModelArtifactException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      // One byte past the cap tells "exactly at the cap" from "over it".
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 9, maxBytes) + 1);
      if (bytes.length > maxBytes) {
        throw tooLarge(file, maxBytes);
      }
      return bytes;
    }
  }

  /** Streams a file through sha256, refusing one over {@code maxBytes}. */
  static String sha256(Path file, long maxBytes) throws IOException, ModelArtifactException {
    MessageDigest digest = newDigest();
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), digest)) {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
        if (total > maxBytes) {
          throw tooLarge(file, maxBytes);
        }
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  static ModelArtifactException tooLarge(Path file, long maxBytes) {
    return new ModelArtifactException(
        file.getFileName()
            + " is larger than the "
            + maxBytes
            + "-byte cap; if the model really is that big, raise"
            + " ModelArtifactLoader.Builder.optMaxFileBytes");
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
