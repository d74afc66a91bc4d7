package io.glimpse.model.artifact;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@code manifest.json} says about an artifact: which model and version it is, the network
 * ({@code mobilenet_v1} at a width multiplier), the input it takes and how to normalize it, the
 * labels, metrics, lineage, and the sha256 of every other file in the artifact.
 *
 * <p>Immutable; every instance has passed the builder's validation. A manifest built by a trainer
 * before writing has no files yet; {@link ModelArtifactWriter} fills in {@link #getFiles()} and
 * {@link #getParametersFile()}. {@link #toJson()} and {@link #fromJson(byte[])} are the {@code
 * manifest.json} form.
 */
public final class ModelManifest {

  /** The only architecture this module builds. */
  public static final String MOBILENET_V1 = "mobilenet_v1";

  private final String name;
  private final String version;
  private final ModelFormat format;
  private final String architecture;
  private final float widthMultiplier;
  private final InputShape inputShape;
  private final Normalization normalization;
  private final List<String> labels;
  private final Map<String, Double> metrics;
  private final Instant createdTime;
  private final String parentVersion;
  private final String trainingData;
  private final String parametersFile;
  private final Map<String, String> files;

  private ModelManifest(Builder b) {
    name = b.name;
    version = b.version;
    format = b.format;
    architecture = b.architecture;
    widthMultiplier = b.widthMultiplier;
    inputShape = b.inputShape;
    normalization = b.normalization;
    labels = List.copyOf(b.labels);
    metrics = Collections.unmodifiableMap(new TreeMap<>(b.metrics));
    createdTime = b.createdTime.truncatedTo(ChronoUnit.MILLIS);
    parentVersion = b.parentVersion;
    trainingData = b.trainingData;
    parametersFile = b.parametersFile;
    files = Collections.unmodifiableMap(new TreeMap<>(b.files));
  }

  /**
   * Returns a builder; see {@link Builder} for what is required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses and validates {@code manifest.json} bytes. Unknown fields are ignored (a newer minor
   * writer may add some); duplicate keys and a newer {@code manifestVersion} are rejected.
   *
   * @param json the file's bytes, UTF-8
   * @return the manifest
   * @throws ModelArtifactException when the JSON is malformed, a field is missing or has the wrong
   *     type, or the values fail the builder's validation
   */
  public static ModelManifest fromJson(byte[] json) throws ModelArtifactException {
    return ManifestJson.read(json);
  }

  /**
   * Returns this manifest as pretty-printed UTF-8 JSON, the content of {@code manifest.json}.
   *
   * @return the JSON bytes
   */
  public byte[] toJson() {
    return ManifestJson.write(this);
  }

  /**
   * Returns a builder holding this manifest's values, to derive a changed copy.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.version = version;
    b.format = format;
    b.architecture = architecture;
    b.widthMultiplier = widthMultiplier;
    b.inputShape = inputShape;
    b.normalization = normalization;
    b.labels = labels;
    b.metrics = metrics;
    b.createdTime = createdTime;
    b.parentVersion = parentVersion;
    b.trainingData = trainingData;
    b.parametersFile = parametersFile;
    b.files = files;
    return b;
  }

  /**
   * Returns the model name, e.g. {@code fashion}; also the parameter file prefix.
   *
   * @return the model name
   */
  public String getName() {
    return name;
  }

  /**
   * Returns the version, e.g. {@code 3}.
   *
   * @return the version
   */
  public String getVersion() {
    return version;
  }

  /**
   * Returns how the parameters are stored.
   *
   * @return the format
   */
  public ModelFormat getFormat() {
    return format;
  }

  /**
   * Returns the architecture; always {@link #MOBILENET_V1} today.
   *
   * @return the architecture name
   */
  public String getArchitecture() {
    return architecture;
  }

  /**
   * Returns MobileNet's width multiplier α.
   *
   * @return α in (0, 1]
   */
  public float getWidthMultiplier() {
    return widthMultiplier;
  }

  /**
   * Returns the image shape the model takes.
   *
   * @return channels, height and width
   */
  public InputShape getInputShape() {
    return inputShape;
  }

  /**
   * Returns the per-channel normalization the model was trained with.
   *
   * @return mean and std per channel
   */
  public Normalization getNormalization() {
    return normalization;
  }

  /**
   * Returns the labels; index {@code i} is the label of output {@code i}.
   *
   * @return the labels, unmodifiable
   */
  public List<String> getLabels() {
    return labels;
  }

  /**
   * Returns the evaluation metrics, e.g. {@code test_accuracy}.
   *
   * @return metric name to value, sorted, unmodifiable
   */
  public Map<String, Double> getMetrics() {
    return metrics;
  }

  /**
   * Returns when the artifact was created, to the millisecond (as Avro's timestamp-millis).
   *
   * @return the creation time
   */
  public Instant getCreatedTime() {
    return createdTime;
  }

  /**
   * Returns the version this one was fine-tuned from, if any.
   *
   * @return the parent version
   */
  public Optional<String> getParentVersion() {
    return Optional.ofNullable(parentVersion);
  }

  /**
   * Returns what the model was trained on, as the trainer described it (e.g. {@code fashion-mnist
   * (/usr/share/datasets/fashion-mnist)}), if recorded.
   *
   * @return the training data's description
   */
  public Optional<String> getTrainingData() {
    return Optional.ofNullable(trainingData);
  }

  /**
   * Returns the parameter file's name, once written.
   *
   * @return the parameter file name, empty in a manifest that was not written yet
   */
  public Optional<String> getParametersFile() {
    return Optional.ofNullable(parametersFile);
  }

  /**
   * Returns the sha256 (lower-case hex) of every file in the artifact other than the manifest.
   *
   * @return file name to sha256, sorted, unmodifiable; empty before writing
   */
  public Map<String, String> getFiles() {
    return files;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ModelManifest)) {
      return false;
    }
    ModelManifest m = (ModelManifest) o;
    return name.equals(m.name)
        && version.equals(m.version)
        && format == m.format
        && architecture.equals(m.architecture)
        && Float.compare(widthMultiplier, m.widthMultiplier) == 0
        && inputShape.equals(m.inputShape)
        && normalization.equals(m.normalization)
        && labels.equals(m.labels)
        && metrics.equals(m.metrics)
        && createdTime.equals(m.createdTime)
        && Objects.equals(parentVersion, m.parentVersion)
        && Objects.equals(trainingData, m.trainingData)
        && Objects.equals(parametersFile, m.parametersFile)
        && files.equals(m.files);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, version, format, widthMultiplier, labels, createdTime, files);
  }

  @Override
  public String toString() {
    return "ModelManifest{"
        + name
        + " v"
        + version
        + ", "
        + format.jsonName()
        + ", "
        + architecture
        + " α="
        + widthMultiplier
        + ", "
        + inputShape
        + ", "
        + labels.size()
        + " labels, files "
        + files.keySet()
        + "}";
  }

  /**
   * Builder in DJL's words: {@code setX} is required, {@code optX} optional, {@link #build()}
   * validates.
   */
  public static final class Builder {
    private String name;
    private String version;
    private ModelFormat format;
    private String architecture = MOBILENET_V1;
    private float widthMultiplier = 1f;
    private InputShape inputShape;
    private Normalization normalization;
    private List<String> labels = List.of();
    private Map<String, Double> metrics = Map.of();
    private Instant createdTime;
    private String parentVersion;
    private String trainingData;
    private String parametersFile;
    private Map<String, String> files = Map.of();

    private Builder() {}

    /**
     * Sets the model name. Required; letters, digits, {@code . _ -}, starting with a letter or
     * digit (it names files and directories).
     *
     * @param name the model name
     * @return this builder
     */
    public Builder setName(String name) {
      this.name = name;
      return this;
    }

    /**
     * Sets the version. Required; same characters as the name.
     *
     * @param version the version
     * @return this builder
     */
    public Builder setVersion(String version) {
      this.version = version;
      return this;
    }

    /**
     * Sets how the parameters are stored. Required.
     *
     * @param format the format
     * @return this builder
     */
    public Builder setFormat(ModelFormat format) {
      this.format = format;
      return this;
    }

    /**
     * Sets the architecture. Defaults to, and must be, {@link #MOBILENET_V1}.
     *
     * @param architecture the architecture name
     * @return this builder
     */
    public Builder optArchitecture(String architecture) {
      this.architecture = architecture;
      return this;
    }

    /**
     * Sets MobileNet's width multiplier α. Defaults to 1.
     *
     * @param widthMultiplier α in (0, 1]
     * @return this builder
     */
    public Builder optWidthMultiplier(float widthMultiplier) {
      this.widthMultiplier = widthMultiplier;
      return this;
    }

    /**
     * Sets the image shape the model takes. Required.
     *
     * @param inputShape channels, height and width
     * @return this builder
     */
    public Builder setInputShape(InputShape inputShape) {
      this.inputShape = inputShape;
      return this;
    }

    /**
     * Sets the per-channel normalization. Required; one value per input channel.
     *
     * @param normalization mean and std
     * @return this builder
     */
    public Builder setNormalization(Normalization normalization) {
      this.normalization = normalization;
      return this;
    }

    /**
     * Sets the labels, one per model output. Required, unique, non-blank, single-line.
     *
     * @param labels the labels in output order
     * @return this builder
     */
    public Builder setLabels(List<String> labels) {
      this.labels = List.copyOf(labels);
      return this;
    }

    /**
     * Sets evaluation metrics. Optional; values must be finite.
     *
     * @param metrics metric name to value
     * @return this builder
     */
    public Builder optMetrics(Map<String, Double> metrics) {
      this.metrics = Map.copyOf(metrics);
      return this;
    }

    /**
     * Sets the creation time. Defaults to now; kept to the millisecond.
     *
     * @param createdTime the creation time
     * @return this builder
     */
    public Builder optCreatedTime(Instant createdTime) {
      this.createdTime = createdTime;
      return this;
    }

    /**
     * Sets the version this one was fine-tuned from. Optional.
     *
     * @param parentVersion the parent version, or null for none
     * @return this builder
     */
    public Builder optParentVersion(String parentVersion) {
      this.parentVersion = parentVersion;
      return this;
    }

    /**
     * Sets what the model was trained on, for people and for checks that compare it with the images
     * being classified. Optional; single-line.
     *
     * @param trainingData a short description, or null when unknown
     * @return this builder
     */
    public Builder optTrainingData(String trainingData) {
      this.trainingData = trainingData;
      return this;
    }

    /**
     * Sets the parameter file name; {@link ModelArtifactWriter} does this.
     *
     * @param parametersFile a file name listed in the files
     * @return this builder
     */
    public Builder optParametersFile(String parametersFile) {
      this.parametersFile = parametersFile;
      return this;
    }

    /**
     * Sets the sha256 of every file but the manifest; {@link ModelArtifactWriter} does this.
     *
     * @param files file name to lower-case hex sha256
     * @return this builder
     */
    public Builder optFiles(Map<String, String> files) {
      this.files = Map.copyOf(files);
      return this;
    }

    /**
     * Validates and builds the manifest.
     *
     * @return the manifest
     * @throws IllegalArgumentException naming the first field that is missing or out of range
     */
    public ModelManifest build() {
      if (createdTime == null) {
        createdTime = Instant.now();
      }
      ManifestRules.check(this);
      return new ModelManifest(this);
    }

    String name() {
      return name;
    }

    String version() {
      return version;
    }

    ModelFormat format() {
      return format;
    }

    String architecture() {
      return architecture;
    }

    float widthMultiplier() {
      return widthMultiplier;
    }

    InputShape inputShape() {
      return inputShape;
    }

    Normalization normalization() {
      return normalization;
    }

    List<String> labels() {
      return labels;
    }

    Map<String, Double> metrics() {
      return metrics;
    }

    String parentVersion() {
      return parentVersion;
    }

    String trainingData() {
      return trainingData;
    }

    String parametersFile() {
      return parametersFile;
    }

    Map<String, String> files() {
      return files;
    }
  }
}
