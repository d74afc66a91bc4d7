package io.glimpse.pipeline.inference;

import io.glimpse.lifecycle.LabelCheck;
import io.glimpse.pipeline.metrics.PipelineMetrics;
import io.glimpse.pipeline.serving.ServingModel;
import io.glimpse.schemas.avro.ImageEvent;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices images whose ground-truth label the serving model does not know — the sign of images
 * published for a model trained on other data (Fashion-MNIST photos sent to the shapes model). Each
 * such image is still classified; it is counted per {@code {model, version}} ({@code
 * glimpse_images_unknown_label_total}) and the first one per version is logged as a WARN that says
 * what to do. Images without a label are not checked. Safe to call from every stream thread.
 */
final class UnknownLabels {
  private static final Logger LOG = LoggerFactory.getLogger(UnknownLabels.class);
  private static final int LABELS_SHOWN = 12;

  private final PipelineMetrics metrics;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  UnknownLabels(PipelineMetrics metrics) {
    this.metrics = metrics;
  }

  /** Counts {@code event} if it carries a label {@code model} does not know. */
  void check(ImageEvent event, ServingModel model) {
    String label = event.getLabel();
    if (label == null || model.knowsLabel(label)) {
      return;
    }
    metrics.recordUnknownLabel(model.name(), model.version());
    if (warned.add(model.name() + '\n' + model.version())) {
      LOG.warn(
          "Image {} carries the label '{}', which model {} version {} does not know (it was trained"
              + " on {}; its labels: {}). Its prediction is one of those labels, so it is surely"
              + " wrong: publish images of the data this model was trained on, or train and"
              + " promote a model for this data (glimpse train --dataset ... --promote). Further"
              + " images like it are counted in glimpse_images_unknown_label_total, not logged.",
          event.getId(),
          label,
          model.name(),
          model.version(),
          model.manifest().getTrainingData().orElse("data it did not record"),
          LabelCheck.shown(model.labels(), LABELS_SHOWN));
    }
  }
}
