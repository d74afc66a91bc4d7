package io.glimpse.pipeline.inference;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.image.DecodedImage;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.model.image.ImageRejectedException;
import io.glimpse.model.inference.InferenceException;
import io.glimpse.pipeline.batch.BatchHandler;
import io.glimpse.pipeline.batch.BatchOutcome;
import io.glimpse.pipeline.batch.PendingRecord;
import io.glimpse.pipeline.batch.RetriableBatchException;
import io.glimpse.pipeline.dlq.DeadLetter;
import io.glimpse.pipeline.dlq.DeadLetterReason;
import io.glimpse.pipeline.metrics.PipelineMetrics;
import io.glimpse.pipeline.serving.ModelLease;
import io.glimpse.pipeline.serving.ModelProvider;
import io.glimpse.pipeline.serving.ServingModel;
import io.glimpse.schemas.avro.ImageEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies a batch of pending records: deserializes each ImageEvent, decodes and preprocesses its
 * image into one NCHW tensor, runs the model once for the whole batch, and builds a Prediction per
 * image. An image whose label the model does not know is classified and counted ({@link
 * UnknownLabels}). A record that fails any step becomes a dead letter; the rest of its batch
 * proceeds. If the batched forward pass fails, each image is retried alone so one poisonous image
 * cannot take its batch with it; if every image fails alone too, the engine is at fault, not the
 * images, and the batch fails as a whole (it stays in the buffer).
 *
 * <p>A record the registry cannot be asked about now (unreachable, timing out, answering 5xx or
 * 429, or refusing our credentials) is not bad input: the batch fails with a {@link
 * RetriableBatchException} and is retried. Only a record wrong in itself — wrong magic byte, a
 * schema id a healthy registry answers 404 for, corrupt Avro — is dead-lettered. Predictions are
 * serialized here too ({@link PredictionEncoder}), so an outage met while writing them is retried
 * the same way.
 */
public final class ImageBatchHandler implements BatchHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ImageBatchHandler.class);

  private final ModelProvider models;
  private final Deserializer<ImageEvent> images;
  private final PredictionEncoder encoder;
  private final ImageDecoder decoder;
  private final PredictionFactory predictions;
  private final PipelineMetrics metrics;
  private final UnknownLabels unknownLabels;

  /**
   * A handler classifying with the provider's current model.
   *
   * @param images reads the records' ImageEvents
   * @param encoder writes the predictions' bytes, inside the batch
   */
  public ImageBatchHandler(
      ModelProvider models,
      Deserializer<ImageEvent> images,
      PredictionEncoder encoder,
      ImageDecoder decoder,
      int topK,
      PipelineMetrics metrics) {
    this.models = models;
    this.images = images;
    this.encoder = encoder;
    this.decoder = decoder;
    this.predictions = new PredictionFactory(topK);
    this.metrics = metrics;
    this.unknownLabels = new UnknownLabels(metrics);
  }

  @Override
  public List<BatchOutcome> handle(List<PendingRecord> batch, long startMillis) {
    // The whole batch runs on one version; a swap during it takes effect from the next batch.
    try (ModelLease lease = models.acquire()) {
      return handle(lease.model(), batch, startMillis);
    }
  }

  private List<BatchOutcome> handle(
      ServingModel model, List<PendingRecord> batch, long startMillis) {
    int tensorSize = model.preprocessor().tensorSize();
    float[] tensor = new float[batch.size() * tensorSize];
    BatchOutcome[] outcomes = new BatchOutcome[batch.size()];
    ImageEvent[] prepared = new ImageEvent[batch.size()];
    // Each image fills its own slot of the tensor, so the work may be spread over the cores.
    BatchPreparation.run(
        batch.size(),
        model.intraOpThreads() != 1,
        i -> {
          PendingRecord record = batch.get(i);
          try {
            ImageEvent event = deserialize(record);
            DecodedImage image = decode(event, model.preprocessor().inputShape());
            model.preprocessor().writeTensor(image, tensor, i * tensorSize);
            prepared[i] = event;
          } catch (Rejection rejection) {
            outcomes[i] = new BatchOutcome.Rejected(record, rejection.deadLetter);
          }
        });
    List<Integer> admitted = new ArrayList<>(batch.size());
    List<ImageEvent> events = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      if (prepared[i] != null) {
        if (admitted.size() != i) { // close the gap a rejected image left
          System.arraycopy(
              tensor, i * tensorSize, tensor, admitted.size() * tensorSize, tensorSize);
        }
        admitted.add(i);
        events.add(prepared[i]);
      }
    }
    long started = System.nanoTime();
    float[][] probabilities =
        classify(model, admittedOnly(tensor, admitted.size() * tensorSize), admitted.size());
    long inferenceNanos = System.nanoTime() - started;
    metrics.recordInference(admitted.size(), inferenceNanos);
    BatchContext context =
        new BatchContext(model, admitted.size(), startMillis, inferenceNanos / 1_000_000);
    for (int j = 0; j < admitted.size(); j++) {
      PendingRecord record = batch.get(admitted.get(j));
      outcomes[admitted.get(j)] = outcome(record, events.get(j), probabilities[j], context);
    }
    return Arrays.asList(outcomes);
  }

  private BatchOutcome outcome(
      PendingRecord record, ImageEvent event, float[] probabilities, BatchContext context) {
    if (probabilities == null) {
      return new BatchOutcome.Rejected(
          record,
          new DeadLetter(
              DeadLetterReason.INFERENCE_FAILED,
              InferenceException.class.getName(),
              "The model failed on this image alone; the rest of its batch was classified"));
    }
    var prediction = predictions.create(record, event, probabilities, context);
    unknownLabels.check(event, context.model());
    metrics.recordPrediction(prediction.getProcessedTime().toEpochMilli() - record.timestamp());
    return new BatchOutcome.Predicted(record, encoder.encode(record, prediction));
  }

  private ImageEvent deserialize(PendingRecord record) throws Rejection {
    if (record.value() == null) {
      throw new Rejection(
          new DeadLetter(
              DeadLetterReason.NULL_VALUE,
              NullPointerException.class.getName(),
              "The record has no value; publish an ImageEvent"));
    }
    try {
      return images.deserialize(record.topic(), record.headers(), record.value());
    } catch (SerializationException e) {
      RegistryOutage.rethrowIfUnavailable(
          e,
          "about the writer schema of "
              + record.topic()
              + "-"
              + record.partition()
              + "@"
              + record.offset());
      throw new Rejection(DeadLetter.of(DeadLetterReason.DESERIALIZATION_FAILED, e));
    }
  }

  /**
   * The preprocessor resizes to the model's input anyway, so a JPEG much larger than it may decode
   * at 1/2, 1/4 or 1/8 scale, still at least that size (native decoder only).
   */
  private DecodedImage decode(ImageEvent event, InputShape input) throws Rejection {
    try {
      return decoder.decode(event, input.width(), input.height());
    } catch (ImageRejectedException e) {
      throw new Rejection(DeadLetter.of(reasonFor(e.reason()), e));
    }
  }

  private static DeadLetterReason reasonFor(ImageRejectedException.Reason reason) {
    return switch (reason) {
      case UNSUPPORTED_CONTENT_TYPE -> DeadLetterReason.UNSUPPORTED_CONTENT_TYPE;
      case UNDECODABLE -> DeadLetterReason.UNDECODABLE_IMAGE;
      case TOO_LARGE -> DeadLetterReason.IMAGE_TOO_LARGE;
      case INVALID_RAW_LAYOUT -> DeadLetterReason.INVALID_RAW_LAYOUT;
    };
  }

  /**
   * The tensor holds the admitted images first; when some of the batch was rejected its tail is
   * unused, and the forward pass must see exactly the admitted images.
   */
  private static float[] admittedOnly(float[] tensor, int length) {
    return length == tensor.length ? tensor : Arrays.copyOf(tensor, length);
  }

  /**
   * The admitted images in one forward pass. Only when the engine fails on the batch ({@link
   * InferenceException}) is each image retried alone (null for an image that fails alone too), so
   * that one poisonous image cannot take its batch with it. When every image of a batch of two or
   * more fails alone as well, the engine fails, not the images (out of device memory, a broken
   * model): the batch fails as a whole with {@link EngineFailure}, so the task restarts from its
   * buffer and no image is dead-lettered. Programming errors (a wrong tensor length, a closed
   * classifier) are not inference failures and propagate.
   */
  private float[][] classify(ServingModel model, float[] tensor, int count) {
    if (count == 0) {
      return new float[0][];
    }
    try {
      metrics.recordForwardPass(count);
      return model.classifier().classify(tensor, count);
    } catch (InferenceException batchFailure) {
      LOG.warn(
          "The forward pass failed on a batch of {}; classifying its images one by one: {}",
          count,
          batchFailure.getMessage());
      metrics.recordBatchFallback();
      int size = tensor.length / count;
      float[][] results = new float[count][];
      int failed = 0;
      for (int i = 0; i < count; i++) {
        float[] one = Arrays.copyOfRange(tensor, i * size, (i + 1) * size);
        try {
          metrics.recordForwardPass(1);
          results[i] = model.classifier().classify(one, 1)[0];
        } catch (InferenceException singleFailure) {
          LOG.debug("Image {} of the batch fails alone", i, singleFailure);
          results[i] = null;
          failed++;
        }
      }
      // A lone image cannot tell the engine's fault from its own; one record must never stop
      // the pipeline, so it becomes a dead letter, and a broken engine shows on the next batch.
      if (failed == count && count > 1) {
        throw new EngineFailure(count, batchFailure);
      }
      return results;
    }
  }

  /**
   * The engine failed on every image of a batch, together and one by one: not the images' fault.
   * The batch fails as a whole; its images stay in the buffer.
   */
  public static final class EngineFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EngineFailure(int count, InferenceException cause) {
      super(
          "The model failed on all "
              + count
              + " images of a batch, together and one by one: the engine is at fault, not the"
              + " images ("
              + cause.getMessage()
              + ")",
          cause);
    }
  }

  /** A record's step failed; carries its dead letter out of the loop. */
  private static final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient DeadLetter deadLetter;

    Rejection(DeadLetter deadLetter) {
      super(deadLetter.message(), null, false, false);
      this.deadLetter = deadLetter;
    }
  }
}
