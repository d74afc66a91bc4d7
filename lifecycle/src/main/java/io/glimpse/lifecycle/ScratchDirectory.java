package io.glimpse.lifecycle;

import io.glimpse.model.files.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private temporary directory that is deleted, with everything in it, on {@link #close()}: where
 * an artifact is unpacked, rewritten or fetched before it is verified and stored.
 */
public final class ScratchDirectory implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(ScratchDirectory.class);

  private final Path path;

  private ScratchDirectory(Path path) {
    this.path = path;
  }

  /**
   * Creates a new empty directory in the system's temporary directory.
   *
   * @param prefix the start of its name, e.g. {@code glimpse-register-}
   * @return the directory
   * @throws IOException when it cannot be created
   */
  public static ScratchDirectory create(String prefix) throws IOException {
    return new ScratchDirectory(Files.createTempDirectory(prefix));
  }

  /**
   * Returns the directory.
   *
   * @return its path
   */
  public Path path() {
    return path;
  }

  /** Deletes the directory and its contents; a failure is logged, not thrown. */
  @Override
  public void close() {
    FileTrees.deleteQuietly(path);
  }
}
