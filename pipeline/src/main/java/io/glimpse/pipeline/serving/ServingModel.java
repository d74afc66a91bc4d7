package io.glimpse.pipeline.serving;

import io.glimpse.model.artifact.LoadedModel;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelArtifactLoader;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.image.ImagePreprocessor;
import io.glimpse.model.inference.BatchClassifier;
import io.glimpse.model.inference.Devices;
import io.glimpse.model.inference.InferenceException;
import io.glimpse.model.inference.IntraOpThreads;
import io.glimpse.model.mobilenet.Precision;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One verified, loaded and warmed-up model version, with what serving it needs: its preprocessor
 * (input shape, normalization), its classifier (one DJL predictor per thread) and its labels. Owns
 * the loaded model: closing this closes it.
 */
public final class ServingModel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServingModel.class);

  private final LoadedModel loaded;
  private final ImagePreprocessor preprocessor;
  private final BatchClassifier classifier;
  private final Set<String> labelSet;

  /** The batch size timed when choosing intra-op threads: the default glimpse.batch.max.size. */
  static final int TUNING_BATCH = 32;

  /** Forward passes of {@link #TUNING_BATCH} a version runs when it keeps the thread count. */
  static final int WARM_UP_PASSES = 3;

  private ServingModel(LoadedModel loaded) {
    this.loaded = loaded;
    this.labelSet = Set.copyOf(loaded.getManifest().getLabels());
    this.preprocessor = ImagePreprocessor.of(loaded.getManifest());
    this.classifier = new BatchClassifier(loaded);
  }

  /**
   * Verifies and loads the artifact (a directory or .zip) on the device ({@code auto}, {@code cpu},
   * {@code gpu}, {@code gpu:N}).
   *
   * @throws ModelArtifactException when the artifact is missing, tampered with, or inconsistent
   */
  public static ServingModel load(Path artifact, Optional<String> manifestSha256, String device)
      throws ModelArtifactException {
    return load(artifact, manifestSha256, device, Precision.FP32);
  }

  /**
   * Verifies and loads the artifact on the device, computing in {@code precision} where the model
   * is served folded (fp32 otherwise: {@link #servedAs()} says which).
   *
   * @throws ModelArtifactException when the artifact is missing, tampered with, or inconsistent
   */
  public static ServingModel load(
      Path artifact, Optional<String> manifestSha256, String device, Precision precision)
      throws ModelArtifactException {
    return load(artifact, manifestSha256, device, precision, Optional.empty());
  }

  /**
   * Loads a version that is to replace {@code served}, as {@link #load(Path, Optional, String,
   * Precision)} does, except that when both run the same network (width, input shape, classes) the
   * same way on the same device, the served version's intra-op thread count is kept instead of
   * measured again: on a serving instance the measurement (eight forward passes of {@value
   * #TUNING_BATCH} images, half of them on every core) competes with the stream threads, which
   * makes it the largest cost of a reload and its result noise.
   *
   * @throws ModelArtifactException when the artifact is missing, tampered with, or inconsistent
   */
  public static ServingModel loadReplacing(
      Path artifact,
      Optional<String> manifestSha256,
      String device,
      Precision precision,
      ServingModel served)
      throws ModelArtifactException {
    return load(artifact, manifestSha256, device, precision, Optional.of(served));
  }

  private static ServingModel load(
      Path artifact,
      Optional<String> manifestSha256,
      String device,
      Precision precision,
      Optional<ServingModel> served)
      throws ModelArtifactException {
    ModelArtifactLoader.Builder loader =
        ModelArtifactLoader.builder().optDevice(Devices.parse(device)).optPrecision(precision);
    manifestSha256.ifPresent(loader::optExpectedManifestSha256);
    LoadedModel loaded = loader.build().load(artifact);
    ModelManifest manifest = loaded.getManifest();
    LOG.info(
        "Loaded model {} version {} ({} classes, input {}) from {}; inference runs on device {}"
            + " (asked: {}) as {}",
        manifest.getName(),
        manifest.getVersion(),
        manifest.getLabels().size(),
        manifest.getInputShape(),
        artifact,
        loaded.device(),
        device,
        loaded.servedAs());
    ServingModel serving = new ServingModel(loaded);
    Optional<ServingModel> sameNetwork = served.filter(serving::runsTheSameNetworkAs);
    if (sameNetwork.isPresent() && sameNetwork.get().intraOpThreads() > 0) {
      serving.classifier.useIntraOpThreads(sameNetwork.get().intraOpThreads());
      serving.warmUpWithoutTiming();
      LOG.info(
          "Model {} version {}: {} intra-op thread(s), as version {} of the same network",
          serving.name(),
          serving.version(),
          serving.intraOpThreads(),
          sameNetwork.get().version());
    } else {
      serving.chooseIntraOpThreads();
    }
    return serving;
  }

  /**
   * Runs the forward passes the timing would have run, without timing them: TorchScript's profiling
   * executor optimises a program only after its first runs at a shape, and without these passes the
   * first batches of each stream thread on the new version ran 3-7x slower (measured at α 0.25,
   * docs/results/issue-22).
   */
  private void warmUpWithoutTiming() throws ModelArtifactException {
    float[] zeros = new float[TUNING_BATCH * preprocessor.tensorSize()];
    try {
      for (int pass = 0; pass < WARM_UP_PASSES; pass++) {
        classifier.classify(zeros, TUNING_BATCH);
      }
    } catch (InferenceException e) {
      close();
      throw new ModelArtifactException(
          "the model failed a forward pass of " + TUNING_BATCH + " images: " + e.getMessage(), e);
    }
  }

  /** Same width, input shape and classes, served the same way on the same device. */
  private boolean runsTheSameNetworkAs(ServingModel other) {
    ModelManifest mine = manifest();
    ModelManifest theirs = other.manifest();
    return mine.getFormat() == theirs.getFormat()
        && mine.getWidthMultiplier() == theirs.getWidthMultiplier()
        && mine.getInputShape().equals(theirs.getInputShape())
        && mine.getLabels().size() == theirs.getLabels().size()
        && device().equals(other.device())
        && servedAs().equals(other.servedAs());
  }

  /**
   * On the CPU, unless {@code -Dai.djl.pytorch.num_threads} fixes it: times a forward pass of
   * {@link #TUNING_BATCH} images on one and on every core, and keeps the faster ({@link
   * IntraOpThreads}).
   */
  private void chooseIntraOpThreads() throws ModelArtifactException {
    if (!loaded.device().startsWith("cpu") || IntraOpThreads.fixedByUser()) {
      return;
    }
    IntraOpThreads.Choice choice;
    try {
      choice =
          IntraOpThreads.choose(
              classifier, TUNING_BATCH, Runtime.getRuntime().availableProcessors());
    } catch (InferenceException e) {
      close();
      throw new ModelArtifactException(
          "the model failed a forward pass of " + TUNING_BATCH + " images: " + e.getMessage(), e);
    }
    LOG.info(
        "Model {} version {}: {} intra-op thread(s) (a batch of {}: {} ms on one thread, {} ms on"
            + " {})",
        name(),
        version(),
        choice.threads(),
        choice.batchSize(),
        String.format(java.util.Locale.ROOT, "%.1f", choice.oneThreadMillis()),
        String.format(java.util.Locale.ROOT, "%.1f", choice.allThreadsMillis()),
        choice.cores());
  }

  /**
   * The intra-op threads each forward pass uses, as chosen at load: 1 means the other cores are
   * free for more stream threads; 0 that libtorch's own setting applies.
   */
  public int intraOpThreads() {
    return classifier.intraOpThreads();
  }

  /** The verified manifest of the loaded version. */
  public ModelManifest manifest() {
    return loaded.getManifest();
  }

  /** The device forward passes really run on, as DJL names it: {@code cpu()}, {@code gpu(0)}. */
  public String device() {
    return loaded.device();
  }

  /** How forward passes run: folded TorchScript (bf16), DJL block or TorchScript. */
  public String servedAs() {
    return loaded.servedAs();
  }

  /** The manifest's sha256, as a deployment names it. */
  public String manifestSha256() {
    return loaded.getManifestSha256();
  }

  public String name() {
    return loaded.getManifest().getName();
  }

  public String version() {
    return loaded.getManifest().getVersion();
  }

  public List<String> labels() {
    return loaded.getManifest().getLabels();
  }

  /** Whether {@code label} is one of this version's labels (a set lookup, for every image). */
  public boolean knowsLabel(String label) {
    return labelSet.contains(label);
  }

  public ImagePreprocessor preprocessor() {
    return preprocessor;
  }

  public BatchClassifier classifier() {
    return classifier;
  }

  @Override
  public void close() {
    classifier.close();
    loaded.close();
  }
}
