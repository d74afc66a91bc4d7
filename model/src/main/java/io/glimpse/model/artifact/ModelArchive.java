package io.glimpse.model.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An artifact directory as one zip file, for copying around and for stores that hold single
 * objects.
 *
 * <p>Zip rather than tar.gz: the JDK reads and writes it ({@code java.util.zip}) where tar would
 * need a hand-written or third-party reader; its central directory lists every entry before a byte
 * is extracted, so the whole listing is vetted first; and entries are independent, so one is read
 * without inflating the others. The archive holds the directory's files flat, at the top level, in
 * name order with a fixed timestamp, so packing the same directory twice gives the same bytes.
 *
 * <p>Unpacking trusts nothing: entry names that are absolute or climb out of the target ({@code
 * ../}), nested paths, directories, symbolic links and other special entries, duplicate names, more
 * than {@link #MAX_ENTRIES} entries and entries over the size cap (counted as they inflate, not as
 * declared) are all refused. Checksums are the loader's job, against the manifest.
 */
public final class ModelArchive {

  /** An artifact has three files; a few more leave room to grow, thousands are an attack. */
  public static final int MAX_ENTRIES = 64;

  private static final Logger logger = LoggerFactory.getLogger(ModelArchive.class);
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern ABSOLUTE = Pattern.compile("^([/\\\\]|[A-Za-z]:).*");
  private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  private ModelArchive() {}

  /**
   * Packs an artifact directory into a new zip file, atomically (temporary sibling, then rename).
   *
   * @param artifactDir a directory of regular files that holds a {@code manifest.json}
   * @param archiveFile the zip file to create; it must not exist
   * @throws ModelArtifactException when the directory holds links, subdirectories or no manifest,
   *     the archive exists, or writing fails
   */
  public static void pack(Path artifactDir, Path archiveFile) throws ModelArtifactException {
    Path target = archiveFile.toAbsolutePath().normalize();
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new ModelArtifactException(target + " already exists; pick a new archive name");
    }
    Path temp = null;
    try {
      Map<String, Path> files = ArtifactFiles.listRegularFiles(artifactDir);
      if (!files.containsKey(ModelArtifact.MANIFEST_FILE)) {
        throw new ModelArtifactException(
            artifactDir
                + " has no "
                + ModelArtifact.MANIFEST_FILE
                + "; pack an artifact directory");
      }
      Files.createDirectories(target.getParent());
      temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
      writeZip(files, temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      temp = null;
      logger.info("Packed {} ({} files) into {}", artifactDir, files.size(), target);
    } catch (IOException e) {
      throw new ModelArtifactException(
          "cannot pack " + artifactDir + " into " + target + ": " + e, e);
    } finally {
      deleteQuietly(temp);
    }
  }

  private static void writeZip(Map<String, Path> files, Path zipFile) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(zipFile))) {
      for (Map.Entry<String, Path> file : files.entrySet()) {
        ZipEntry entry = new ZipEntry(file.getKey());
        entry.setTimeLocal(FIXED_TIME);
        zip.putNextEntry(entry);
        Files.copy(file.getValue(), zip);
        zip.closeEntry();
      }
    }
  }

  /**
   * Unpacks an archive into a directory, vetting every entry first (see the class comment). Nothing
   * is left in the target when this fails.
   *
   * @param archiveFile a zip made by {@link #pack(Path, Path)}
   * @param targetDir an empty or not yet existing directory
   * @param maxFileBytes the largest file accepted, counted while inflating
   * @throws ModelArtifactException naming the offending entry and why it was refused
   */
  public static void unpack(Path archiveFile, Path targetDir, long maxFileBytes)
      throws ModelArtifactException {
    Path target = targetDir.toAbsolutePath().normalize();
    List<Path> written = new ArrayList<>();
    try {
      List<String> names = vettedNames(archiveFile, target);
      prepareTarget(target);
      try (ZipFile zip = new ZipFile(archiveFile.toFile())) {
        if (zip.size() != names.size()) {
          throw ZipDirectory.corrupt(archiveFile, "its entry count is inconsistent");
        }
        for (String name : names) {
          Path file = target.resolve(name);
          written.add(file);
          extract(zip, name, file, maxFileBytes);
        }
      }
    } catch (IOException e) {
      deleteAll(written);
      throw new ModelArtifactException("cannot unpack " + archiveFile + ": " + e, e);
    } catch (ModelArtifactException e) {
      deleteAll(written);
      throw e;
    }
  }

  private static List<String> vettedNames(Path archiveFile, Path target)
      throws IOException, ModelArtifactException {
    if (!Files.isRegularFile(archiveFile, LinkOption.NOFOLLOW_LINKS)) {
      throw new ModelArtifactException(
          archiveFile + " is not a regular file (links are refused); pass the archive itself");
    }
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ZipDirectory.Entry entry : ZipDirectory.read(archiveFile, MAX_ENTRIES)) {
      checkName(entry.name(), target, archiveFile);
      if (entry.isSymbolicLink() || !entry.isRegularFile()) {
        throw ZipDirectory.corrupt(
            archiveFile,
            "entry \""
                + entry.name()
                + "\" is "
                + (entry.isSymbolicLink() ? "a symbolic link" : "not a regular file"));
      }
      if (!seen.add(entry.name())) {
        throw ZipDirectory.corrupt(archiveFile, "entry \"" + entry.name() + "\" appears twice");
      }
      names.add(entry.name());
    }
    return names;
  }

  private static void checkName(String name, Path target, Path archiveFile)
      throws ModelArtifactException {
    String why = null;
    if (ABSOLUTE.matcher(name).matches()) {
      why = "is an absolute path";
    } else if (Arrays.asList(name.split("[/\\\\]")).contains("..")
        || !target.resolve(name).normalize().startsWith(target)) {
      why = "escapes the target directory";
    } else if (!PLAIN_NAME.matcher(name).matches()) {
      why = "is not a plain file name (artifact archives are flat)";
    }
    if (why != null) {
      throw ZipDirectory.corrupt(archiveFile, "entry \"" + name + "\" " + why);
    }
  }

  private static void prepareTarget(Path target) throws IOException, ModelArtifactException {
    Files.createDirectories(target);
    try (var entries = Files.list(target)) {
      if (entries.findAny().isPresent()) {
        throw new ModelArtifactException(
            target + " is not empty; unpack into a new or empty directory");
      }
    }
  }

  private static void extract(ZipFile zip, String name, Path file, long maxFileBytes)
      throws IOException, ModelArtifactException {
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw ZipDirectory.corrupt(Path.of(zip.getName()), "entry \"" + name + "\" is unreadable");
    }
    try (InputStream in = zip.getInputStream(entry);
        OutputStream out =
            Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
        if (total > maxFileBytes) {
          throw ArtifactFiles.tooLarge(file, maxFileBytes);
        }
        out.write(buffer, 0, n);
      }
    }
  }

  private static void deleteAll(List<Path> files) {
    files.forEach(ModelArchive::deleteQuietly);
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      logger.warn("Could not remove {}: {}", file, e.toString());
    }
  }
}
