package io.glimpse.model.store;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Pattern;

/**
 * The layout of a {@link FileModelStore}, {@code <root>/<model>/<version>/}: names checked before
 * they become paths, and artifact URIs mapped back to version directories inside the root.
 */
final class StoreLayout {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Path root;

  StoreLayout(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  /**
   * Returns the root as a directory URI, ending in {@code /} whether or not it exists yet, so that
   * {@code rootUri().resolve("fashion/3/")} lands inside it ({@link Path#toUri()} adds the slash
   * only for a directory that exists).
   */
  URI rootUri() {
    URI uri = root.toUri();
    if (uri.getPath().endsWith("/")) {
      return uri;
    }
    try {
      // The constructor quotes what a path must; toASCIIString encodes the rest in UTF-8, as
      // Path.toUri does, and Path.of(URI) accepts nothing else.
      return URI.create(
          new URI(uri.getScheme(), "", uri.getPath() + "/", null, null).toASCIIString());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot add a slash to " + uri, e);
    }
  }

  Path modelDirectory(String modelName) throws ModelStoreException {
    requireId("model name", modelName);
    return root.resolve(modelName);
  }

  Path versionDirectory(String modelName, String version) throws ModelStoreException {
    requireId("version", version);
    return modelDirectory(modelName).resolve(version);
  }

  static boolean isId(String name) {
    return ID.matcher(name).matches();
  }

  /**
   * Returns the version directory an artifact URI names, after checking that it lies inside the
   * root: a {@code file:} URI, no {@code .} or {@code ..} segment, exactly {@code
   * <model>/<version>}, and real directories all the way down (the root itself may be reached
   * through a link).
   */
  Path locate(URI uri) throws ModelStoreException {
    if (!"file".equalsIgnoreCase(uri.getScheme())) {
      throw refused(uri, "it is not a file: URI, and this store is " + rootUri());
    }
    Path path;
    try {
      path = Path.of(URI.create(uri.toASCIIString())); // raw non-ASCII in, UTF-8 escapes out
    } catch (IllegalArgumentException | FileSystemNotFoundException e) {
      throw refused(uri, "it is not a usable file URI (" + e.getMessage() + ")");
    }
    if (!path.equals(path.normalize())) {
      throw refused(uri, "its path has '.' or '..' segments; deploy the URI the store returned");
    }
    if (!path.startsWith(root)) {
      throw refused(
          uri,
          "it is not inside the store "
              + rootUri()
              + "; point the pipeline at the store the trainer published to");
    }
    Path relative = root.relativize(path);
    if (relative.getNameCount() != 2
        || !isId(relative.getName(0).toString())
        || !isId(relative.getName(1).toString())) {
      throw refused(uri, "it does not name <model>/<version>/ in the store " + rootUri());
    }
    requireDirectory(uri, root, true);
    requireDirectory(uri, root.resolve(relative.getName(0)), false);
    requireDirectory(uri, path, false);
    return path;
  }

  private static void requireDirectory(URI uri, Path dir, boolean followLinks)
      throws ModelStoreException {
    BasicFileAttributes attrs;
    try {
      attrs = StoreFiles.attributes(dir, followLinks);
    } catch (IOException e) {
      throw new ModelStoreException(
          "cannot read artifact URI " + uri + ": " + StoreFiles.describe(dir, e), e);
    }
    if (attrs == null) {
      throw refused(uri, dir + " does not exist; check the store's mount and the deployment");
    }
    if (attrs.isSymbolicLink()) {
      throw refused(
          uri,
          dir + " is a symbolic link; a store holds real directories only, a link could lead out");
    }
    if (!attrs.isDirectory()) {
      throw refused(uri, dir + " is not a directory");
    }
  }

  private static ModelStoreException refused(URI uri, String reason) {
    return new ModelStoreException("refused artifact URI " + uri + ": " + reason);
  }

  static void requireId(String what, String value) throws ModelStoreException {
    if (value == null || !isId(value)) {
      throw new ModelStoreException(
          what + " must be 1-128 letters, digits, '.', '_' or '-', got \"" + value + "\"");
    }
  }

  /** Integers numerically and before other versions, which sort by name. */
  static int compareVersions(String a, String b) {
    boolean aNumber = a.matches("\\d{1,18}");
    boolean bNumber = b.matches("\\d{1,18}");
    if (aNumber && bNumber) {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    }
    if (aNumber != bNumber) {
      return aNumber ? -1 : 1;
    }
    return a.compareTo(b);
  }
}
