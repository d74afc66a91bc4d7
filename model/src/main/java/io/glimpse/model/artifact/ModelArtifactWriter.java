package io.glimpse.model.artifact;

import ai.djl.Model;
import io.glimpse.model.files.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an artifact directory atomically: everything goes into a hidden temporary sibling of the
 * target, each file's sha256 goes into the manifest, and one {@code rename} publishes the whole
 * directory. A reader therefore sees either no artifact or a complete one, never half of one.
 * Artifact versions are immutable: an existing target is refused.
 */
public final class ModelArtifactWriter {

  private static final Logger logger = LoggerFactory.getLogger(ModelArtifactWriter.class);

  private ModelArtifactWriter() {}

  /**
   * Writes a DJL model. Its block must be a {@link io.glimpse.model.mobilenet.MobileNetV1} whose
   * parameters match the manifest (labels, width multiplier, input channels); the model is saved
   * with {@code Model.save(dir, manifest.getName())}.
   *
   * @param model an initialized or trained model
   * @param manifest the manifest, format {@code djl}; its files are filled in here
   * @param targetDir the artifact directory to create, e.g. {@code store/fashion/3}
   * @return the manifest as written, with files and parameters file
   * @throws ModelArtifactException when the target exists, the model disagrees with the manifest,
   *     or writing fails (nothing is left behind then)
   */
  public static ModelManifest write(Model model, ModelManifest manifest, Path targetDir)
      throws ModelArtifactException {
    requireFormat(manifest, ModelFormat.DJL);
    if (model.getBlock() == null || !model.getBlock().isInitialized()) {
      throw new ModelArtifactException(
          "model " + model.getName() + " has no initialized block; initialize or train it first");
    }
    ArchitectureCheck.verify(model.getBlock(), manifest);
    return stageAndPublish(
        targetDir,
        manifest,
        staging -> {
          model.save(staging, manifest.getName());
          return onlyFileIn(staging);
        });
  }

  /**
   * Writes a TorchScript model file (for example one traced in PyTorch) as a {@code torchscript}
   * artifact. The file is copied as {@code <name>.pt}; it is checked against the manifest when
   * loaded, by a warm-up forward pass.
   *
   * @param scriptFile the TorchScript file
   * @param manifest the manifest, format {@code torchscript}; its files are filled in here
   * @param targetDir the artifact directory to create
   * @return the manifest as written
   * @throws ModelArtifactException when the target exists or writing fails
   */
  public static ModelManifest writeTorchScript(
      Path scriptFile, ModelManifest manifest, Path targetDir) throws ModelArtifactException {
    requireFormat(manifest, ModelFormat.TORCHSCRIPT);
    return stageAndPublish(
        targetDir,
        manifest,
        staging -> {
          String name = manifest.getName() + ".pt";
          Files.copy(scriptFile, staging.resolve(name), LinkOption.NOFOLLOW_LINKS);
          return name;
        });
  }

  /** Writes the parameters into the staging directory and returns the file's name. */
  private interface ParametersWriter {
    String writeInto(Path staging) throws IOException;
  }

  private static ModelManifest stageAndPublish(
      Path targetDir, ModelManifest draft, ParametersWriter parameters)
      throws ModelArtifactException {
    Path target = targetDir.toAbsolutePath().normalize();
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new ModelArtifactException(
          target + " already exists; artifact versions are immutable, write a new version");
    }
    Path staging = null;
    try {
      Files.createDirectories(target.getParent());
      staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
      ModelManifest written = fillStaging(staging, draft, parameters.writeInto(staging));
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      staging = null;
      Durability.sync(target.getParent());
      logger.info(
          "Wrote model artifact {} v{} to {}", written.getName(), written.getVersion(), target);
      return written;
    } catch (IOException | RuntimeException e) {
      throw new ModelArtifactException(
          "cannot write artifact " + target + ": " + e + "; check free space and permissions", e);
    } finally {
      FileTrees.deleteQuietly(staging);
    }
  }

  private static ModelManifest fillStaging(Path staging, ModelManifest draft, String parametersFile)
      throws IOException {
    Files.write(
        staging.resolve(ModelArtifact.LABELS_FILE),
        (String.join("\n", draft.getLabels()) + "\n").getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.CREATE_NEW);
    Map<String, String> files = new TreeMap<>();
    try (DirectoryStream<Path> written = Files.newDirectoryStream(staging)) {
      for (Path file : written) {
        files.put(file.getFileName().toString(), sha256(file));
      }
    }
    ModelManifest complete =
        draft.toBuilder().optFiles(files).optParametersFile(parametersFile).build();
    Files.write(
        staging.resolve(ModelArtifact.MANIFEST_FILE),
        complete.toJson(),
        StandardOpenOption.CREATE_NEW);
    Durability.syncTree(staging);
    return complete;
  }

  private static String sha256(Path file) throws IOException {
    try {
      return ArtifactFiles.sha256(file, Long.MAX_VALUE);
    } catch (ModelArtifactException e) {
      throw new IllegalStateException("no cap was set", e);
    }
  }

  private static String onlyFileIn(Path staging) throws IOException {
    try (var files = Files.list(staging)) {
      var names = files.map(p -> p.getFileName().toString()).toList();
      if (names.size() != 1) {
        throw new IOException("Model.save wrote " + names + ", expected one parameter file");
      }
      return names.get(0);
    }
  }

  private static void requireFormat(ModelManifest manifest, ModelFormat format)
      throws ModelArtifactException {
    if (manifest.getFormat() != format) {
      throw new ModelArtifactException(
          "manifest says format "
              + manifest.getFormat().jsonName()
              + " but this method writes "
              + format.jsonName()
              + "; set the manifest's format to match");
    }
  }
}
