package io.glimpse.model.artifact;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.Translator;
import io.glimpse.model.mobilenet.Precision;
import java.util.Optional;

/**
 * A verified, loaded and warmed-up model with the manifest that describes it. It owns the DJL
 * {@link Model} and, for a DJL MobileNetV1, its folded serving form: closing it frees both models'
 * native memory. Predictors it creates belong to the caller, who closes them (before this) and uses
 * each from one thread only, as DJL requires.
 */
public final class LoadedModel implements AutoCloseable {

  private final Model model;
  private final Optional<Model> folded;
  private final Precision precision;
  private final ModelManifest manifest;
  private final String manifestSha256;

  LoadedModel(
      Model model,
      Optional<Model> folded,
      Precision precision,
      ModelManifest manifest,
      String manifestSha256) {
    this.model = model;
    this.folded = folded;
    this.precision = precision;
    this.manifest = manifest;
    this.manifestSha256 = manifestSha256;
  }

  /**
   * Says how forward passes run: {@code "folded TorchScript"} (a DJL MobileNetV1 folded at load),
   * {@code "folded TorchScript bf16"} (the same in bfloat16), {@code "DJL block"} (op by op) or
   * {@code "TorchScript"} (a TorchScript artifact).
   *
   * @return a short description for logs, health and benchmarks
   */
  public String servedAs() {
    if (folded.isPresent()) {
      return precision == Precision.FP32 ? "folded TorchScript" : "folded TorchScript bf16";
    }
    return manifest.getFormat() == ModelFormat.DJL ? "DJL block" : "TorchScript";
  }

  /**
   * Returns the number format forward passes compute in: {@link Precision#BF16} only when asked for
   * and the model is served folded.
   *
   * @return the precision served
   */
  public Precision precision() {
    return precision;
  }

  /**
   * Returns the device the model runs on, as DJL names it ({@code cpu()}, {@code gpu(0)}).
   *
   * @return the device of the serving form
   */
  public String device() {
    return folded.orElse(model).getNDManager().getDevice().toString();
  }

  /**
   * Returns the manifest the model was verified against: labels, input shape, normalization.
   *
   * @return the manifest
   */
  public ModelManifest getManifest() {
    return manifest;
  }

  /**
   * Returns the sha256 of the manifest the model was loaded from; it identifies the artifact.
   *
   * @return lower-case hex sha256
   */
  public String getManifestSha256() {
    return manifestSha256;
  }

  /**
   * Returns the DJL model in its trained form, for callers that need its block (parameters) or
   * device. It stays owned by this object: do not close it.
   *
   * @return the DJL model
   */
  public Model getModel() {
    return model;
  }

  /**
   * Creates a predictor; the translator should create its arrays from the {@code
   * TranslatorContext}'s manager so they are freed after each call.
   *
   * @param translator turns inputs into arrays and outputs back
   * @param <I> the input type
   * @param <O> the output type
   * @return a new predictor, to be closed by the caller and used by one thread
   */
  public <I, O> Predictor<I, O> newPredictor(Translator<I, O> translator) {
    return folded.orElse(model).newPredictor(translator);
  }

  /** Closes the DJL models and frees their native memory. */
  @Override
  public void close() {
    folded.ifPresent(Model::close);
    model.close();
  }

  @Override
  public String toString() {
    return "LoadedModel{"
        + manifest.getName()
        + " v"
        + manifest.getVersion()
        + " on "
        + device()
        + " as "
        + servedAs()
        + ", manifest sha256 "
        + manifestSha256
        + "}";
  }
}
