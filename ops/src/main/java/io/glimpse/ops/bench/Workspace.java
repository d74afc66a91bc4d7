package io.glimpse.ops.bench;

import io.glimpse.model.files.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's temporary directory (model artifact, Kafka data, Streams state), deleted with
 * everything in it on {@link #close()}.
 */
final class Workspace implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Workspace.class);

  private final Path root;

  private Workspace(Path root) {
    this.root = root;
  }

  /** Creates a fresh temporary directory. */
  static Workspace create() {
    try {
      return new Workspace(Files.createTempDirectory("glimpse-bench-"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the benchmark's temporary directory", e);
    }
  }

  /** A path under the workspace (not created). */
  Path resolve(String name) {
    return root.resolve(name);
  }

  @Override
  public void close() {
    FileTrees.deleteQuietly(root);
  }
}
