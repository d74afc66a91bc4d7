package io.glimpse.model.artifact;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import io.glimpse.model.files.FileTrees;
import io.glimpse.model.mobilenet.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads an artifact directory or archive after verifying everything about it, then warms it up.
 *
 * <p>In order: an archive is unpacked safely into a private temporary directory ({@link
 * ModelArchive}); the directory must hold only regular files under the size cap; the manifest's
 * sha256 must equal the expected one, if given; the manifest must be valid and list exactly the
 * files present, each with its exact sha256; {@code labels.txt} must agree with it; a DJL parameter
 * file's header must have been saved from a network with the manifest's input channels. Only then
 * does libtorch see the parameters: the MobileNetV1 the manifest describes is built, loaded, and
 * every parameter's shape is compared to the manifest's network (DJL does not do this); finally one
 * forward pass of the manifest's input shape must return one score per label.
 *
 * <pre>{@code
 * ModelArtifactLoader loader = ModelArtifactLoader.builder()
 *         .optExpectedManifestSha256(deployment.getSha256()).build();
 * try (LoadedModel model = loader.load(Path.of("/var/glimpse/models/fashion/3"))) { ... }
 * }</pre>
 */
public final class ModelArtifactLoader {

  /** Default per-file cap: MobileNetV1 1.0 is 17 MB, so 512 MiB leaves plenty of room. */
  public static final long DEFAULT_MAX_FILE_BYTES = 512L * 1024 * 1024;

  static final String ENGINE = "PyTorch";

  private static final Logger logger = LoggerFactory.getLogger(ModelArtifactLoader.class);
  private static final Pattern EPOCH = Pattern.compile(".*-(\\d{4})\\.params");

  private final long maxFileBytes;
  private final Device device;
  private final String expectedManifestSha256;
  private final boolean fold;
  private final Precision precision;

  private ModelArtifactLoader(Builder builder) {
    maxFileBytes = builder.maxFileBytes;
    device = builder.device;
    expectedManifestSha256 = builder.expectedManifestSha256;
    fold = builder.fold;
    precision = builder.precision;
  }

  /**
   * Returns a builder with the default cap, the engine's default device and no expected hash.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies, loads and warms up an artifact.
   *
   * @param artifact an artifact directory, or a zip archive of one
   * @return the loaded model; the caller closes it
   * @throws ModelArtifactException saying what failed verification or loading and what to do
   */
  public LoadedModel load(Path artifact) throws ModelArtifactException {
    if (!Files.isRegularFile(artifact, LinkOption.NOFOLLOW_LINKS)) {
      return loadDirectory(artifact);
    }
    Path unpacked = null;
    try {
      unpacked = Files.createTempDirectory("glimpse-model-");
      ModelArchive.unpack(artifact, unpacked, maxFileBytes);
      return loadDirectory(unpacked);
    } catch (IOException e) {
      throw new ModelArtifactException("cannot create a temporary directory to unpack into", e);
    } finally {
      FileTrees.deleteQuietly(unpacked);
    }
  }

  private LoadedModel loadDirectory(Path dir) throws ModelArtifactException {
    long start = System.nanoTime();
    ArtifactVerifier.Verified verified =
        ArtifactVerifier.verify(dir, maxFileBytes, expectedManifestSha256);
    ModelManifest manifest = verified.manifest();
    Device target = device != null ? device : Engine.getEngine(ENGINE).defaultDevice();
    Model model = Model.newInstance(manifest.getName(), target, ENGINE);
    Optional<Model> folded = Optional.empty();
    try {
      if (manifest.getFormat() == ModelFormat.DJL) {
        loadDjl(model, verified);
        if (fold) {
          folded = FoldedForm.build(model, manifest, precision);
        }
      } else {
        loadTorchScript(model, verified);
      }
      WarmUp.run(folded.orElse(model), manifest);
    } catch (ModelArtifactException | RuntimeException e) {
      folded.ifPresent(Model::close);
      model.close();
      throw e;
    }
    if (precision != Precision.FP32 && folded.isEmpty()) {
      logger.warn(
          "Serving {} in fp32, not {}: reduced precision needs the folded form of a DJL"
              + " MobileNetV1",
          manifest.getName(),
          precision.word());
    }
    LoadedModel loaded =
        new LoadedModel(
            model,
            folded,
            folded.isPresent() ? precision : Precision.FP32,
            manifest,
            verified.manifestSha256());
    logger.info(
        "Loaded model {} v{} ({}, served as {}) on {} in {} ms",
        manifest.getName(),
        manifest.getVersion(),
        manifest.getFormat().jsonName(),
        loaded.servedAs(),
        target,
        (System.nanoTime() - start) / 1_000_000);
    return loaded;
  }

  private static void loadDjl(Model model, ArtifactVerifier.Verified verified)
      throws ModelArtifactException {
    ModelManifest manifest = verified.manifest();
    String fileName = verified.parametersFile().getFileName().toString();
    try {
      DjlParamsHeader.read(verified.parametersFile()).checkAgainst(manifest, fileName);
      model.setBlock(ArchitectureCheck.networkFor(manifest));
      // Name the epoch: left to itself DJL loads the newest <name>-NNNN.params it finds.
      model.load(verified.dir(), manifest.getName(), Map.of("epoch", epochOf(fileName)));
    } catch (IOException | MalformedModelException | RuntimeException e) {
      throw new ModelArtifactException(
          "cannot load "
              + fileName
              + " into MobileNetV1 ("
              + e.getMessage()
              + "); the parameters do not fit the manifest's network, re-publish the artifact",
          e);
    }
    ArchitectureCheck.verify(model.getBlock(), manifest);
  }

  private static void loadTorchScript(Model model, ArtifactVerifier.Verified verified)
      throws ModelArtifactException {
    String fileName = verified.parametersFile().getFileName().toString();
    String prefix = fileName.substring(0, fileName.length() - ".pt".length());
    try {
      model.load(verified.dir(), prefix, Map.of("mapLocation", "true"));
    } catch (IOException | MalformedModelException | RuntimeException e) {
      throw new ModelArtifactException(
          "cannot load TorchScript file "
              + fileName
              + " ("
              + e.getMessage()
              + "); re-export it with torch.jit.trace or torch.jit.script",
          e);
    }
  }

  private static String epochOf(String parametersFile) {
    Matcher matcher = EPOCH.matcher(parametersFile);
    if (!matcher.matches()) {
      throw new IllegalStateException("manifest validation admitted " + parametersFile);
    }
    return matcher.group(1);
  }

  /** Builder in DJL's words: every setting is optional ({@code optX}); {@link #build()} checks. */
  public static final class Builder {
    private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
    private Device device;
    private String expectedManifestSha256;
    private boolean fold = true;
    private Precision precision = Precision.FP32;

    private Builder() {}

    /**
     * What the folded form computes in: {@link Precision#FP32} (the default) or {@link
     * Precision#BF16}, faster on CPUs with AVX-512 BF16 at a measured accuracy cost (README.md,
     * "Engine speed"). Applies to folded DJL MobileNetV1 only; other forms serve fp32, with a
     * warning.
     *
     * @param precision the number format
     * @return this builder
     */
    public Builder optPrecision(Precision precision) {
      this.precision = Objects.requireNonNull(precision, "precision");
      return this;
    }

    /**
     * Whether a DJL MobileNetV1 is served folded: each BatchNorm folded into its convolution and
     * the network run as one TorchScript call per batch ({@link
     * io.glimpse.model.mobilenet.FoldedMobileNet}), 1.5-2x faster on the CPU. Defaults to true;
     * false serves the trained DJL block op by op. TorchScript artifacts are served as they are.
     *
     * @param fold whether to fold
     * @return this builder
     */
    public Builder optFold(boolean fold) {
      this.fold = fold;
      return this;
    }

    /**
     * Sets the largest file accepted, in the directory or inflated from an archive. Defaults to
     * {@link #DEFAULT_MAX_FILE_BYTES}.
     *
     * @param maxFileBytes a positive number of bytes
     * @return this builder
     */
    public Builder optMaxFileBytes(long maxFileBytes) {
      this.maxFileBytes = maxFileBytes;
      return this;
    }

    /**
     * Sets the device to load onto. Defaults to the PyTorch engine's default: a GPU when there is
     * one, otherwise the CPU.
     *
     * @param device the device
     * @return this builder
     */
    public Builder optDevice(Device device) {
      this.device = device;
      return this;
    }

    /**
     * Requires the artifact's manifest to have this sha256, as {@code ModelVersion.sha256} and
     * {@code ModelDeployment.sha256} carry it. Without it any self-consistent artifact loads.
     *
     * @param sha256 64 hex digits, either case
     * @return this builder
     */
    public Builder optExpectedManifestSha256(String sha256) {
      this.expectedManifestSha256 = sha256 == null ? null : sha256.toLowerCase(Locale.ROOT);
      return this;
    }

    /**
     * Checks the settings and builds the loader.
     *
     * @return the loader
     * @throws IllegalArgumentException for a non-positive cap or a malformed expected hash
     */
    public ModelArtifactLoader build() {
      if (maxFileBytes <= 0) {
        throw new IllegalArgumentException("optMaxFileBytes must be positive, got " + maxFileBytes);
      }
      if (expectedManifestSha256 != null && !expectedManifestSha256.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException(
            "optExpectedManifestSha256 must be 64 hex digits, got " + expectedManifestSha256);
      }
      return new ModelArtifactLoader(this);
    }
  }
}
