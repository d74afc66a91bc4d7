package io.glimpse.pipeline.quality;

import io.glimpse.schemas.avro.AlertKind;
import io.glimpse.schemas.avro.ModelAlert;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches each version's predictions for drift, without labels: every {@code
 * glimpse.drift.window.images} predictions of a version (keyed {@code <model>/<version>}; the
 * topology repartitions them so that one task sees all of a version's), the population stability
 * index of their top-1 classes and of their top-1 confidence against the version's first window.
 * Both go to the {@code glimpse_drift_psi} gauge; a window where either is above the threshold
 * forwards a {@link ModelAlert}.
 */
final class DriftProcessor implements Processor<String, byte[], String, ModelAlert> {
  private static final Logger LOG = LoggerFactory.getLogger(DriftProcessor.class);

  private final QualitySettings settings;
  private final QualityMetrics metrics;
  private ProcessorContext<String, ModelAlert> context;
  private KeyValueStore<String, byte[]> states;

  DriftProcessor(QualitySettings settings, QualityMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
  }

  /** What the drift processor needs of one prediction: its top-1 label and probability. */
  static byte[] observation(String predicted, float probability) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(predicted);
      out.writeFloat(probability);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public void init(ProcessorContext<String, ModelAlert> context) {
    this.context = context;
    this.states = context.getStateStore(QualityTopology.DRIFT_STORE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String predicted;
    float probability;
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record.value()))) {
      predicted = in.readUTF();
      probability = in.readFloat();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] stored = states.get(record.key());
    DriftState state = stored == null ? new DriftState() : DriftState.decode(stored);
    state.add(predicted, probability);
    if (state.images >= settings.driftWindowImages()) {
      closeWindow(record.key(), state);
    }
    states.put(record.key(), state.encode());
  }

  private void closeWindow(String versionKey, DriftState state) {
    int slash = versionKey.lastIndexOf('/');
    String model = versionKey.substring(0, slash);
    String version = versionKey.substring(slash + 1);
    if (!state.hasReference()) {
      LOG.info(
          "Drift reference of {} version {}: its first {} predictions",
          model,
          version,
          state.images);
      state.keepAsReference();
      return;
    }
    double classPsi = Psi.of(state.referenceClasses, state.classes);
    double confidencePsi = Psi.of(state.referenceConfidence, state.confidence);
    metrics.driftPsi(model, version, "classes", classPsi);
    metrics.driftPsi(model, version, "confidence", confidencePsi);
    double threshold = settings.driftThreshold();
    if (classPsi > threshold || confidencePsi > threshold) {
      String message =
          String.format(
              Locale.ROOT,
              "%s version %s drifted: over its last %d predictions the PSI of its top-1 classes"
                  + " is %.3f and of its confidence %.3f against its first %d (threshold %.3f)."
                  + " The images it sees have changed: look at what arrives (glimpse tail), check"
                  + " its accuracy on labelled images (glimpse models evaluate) and retrain on"
                  + " recent data if it fell.",
              model,
              version,
              state.images,
              classPsi,
              confidencePsi,
              state.referenceImages,
              threshold);
      LOG.warn(message);
      metrics.driftAlert(model, version);
      ModelAlert alert =
          ModelAlert.newBuilder()
              .setModelName(model)
              .setVersion(version)
              .setKind(AlertKind.DRIFT)
              .setClassPsi(classPsi)
              .setConfidencePsi(confidencePsi)
              .setThreshold(threshold)
              .setWindowImages(state.images)
              .setReference("its first " + state.referenceImages + " predictions")
              .setMessage(message)
              .setAlertTime(Instant.ofEpochMilli(context.currentSystemTimeMs()))
              .build();
      context.forward(new Record<>(versionKey, alert, context.currentSystemTimeMs()));
    }
    state.startWindow();
  }
}
