package io.glimpse.ops.retrain;

import io.glimpse.lifecycle.Publication;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.lifecycle.VersionPublisher;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.schemas.avro.ModelVersion;
import io.glimpse.trainer.ParentVersion;
import io.glimpse.trainer.ProgressListener;
import io.glimpse.trainer.TrainingConfig;
import io.glimpse.trainer.TrainingException;
import io.glimpse.trainer.TrainingJob;
import io.glimpse.trainer.TrainingResult;
import io.glimpse.trainer.data.DataSource;
import io.glimpse.trainer.data.DatasetException;
import io.glimpse.trainer.data.KafkaTopicSource;
import io.glimpse.trainer.data.TopicRange;

/**
 * Trains a candidate: fine-tunes the serving version on a pinned range of {@code images} (its
 * labels, classes and input shape kept), stores the artifact and registers it on {@code
 * model-versions}. It does not deploy anything; {@link CandidateJudge} decides.
 */
public final class CandidateTrainer {
  private final RetrainSettings settings;

  /** A trainer for the settings' model, store and work directory. */
  public CandidateTrainer(RetrainSettings settings) {
    this.settings = settings;
  }

  /** The pinned range as training data for a child of {@code parent}. */
  public DataSource rangeOf(ModelVersion parent, TopicRange range) {
    var shape = parent.getInputShape();
    return KafkaTopicSource.builder()
        .setRange(range)
        .setKafka(settings.kafka().clientConfig(), settings.kafka().serdeConfig())
        .setInputShape(new InputShape(shape.getChannels(), shape.getHeight(), shape.getWidth()))
        .optClasses(parent.getLabels())
        .optLabelsTopic(settings.labelsTopic())
        .optSplit(0.1, settings.seed())
        .build();
  }

  /**
   * Fine-tunes {@code parent} on {@code data}, stores and registers the result.
   *
   * @return the candidate's {@code model-versions} record
   * @throws RetrainException when training, storing or registering fails
   */
  public ModelVersion train(ModelVersion parent, DataSource data) throws RetrainException {
    String model = settings.model();
    try {
      String version = settings.store().nextVersion(model);
      var shape = parent.getInputShape();
      TrainingConfig config =
          TrainingConfig.builder()
              .setDataSource(data)
              .setModelName(model)
              .setVersion(version)
              .setOutputDirectory(settings.workDirectory().resolve(model + "-v" + version))
              .optEpochs(settings.epochs())
              .optBatchSize(settings.batchSize())
              .optLearningRate(settings.learningRate())
              .optWarmupEpochs(0)
              .optInputSize(shape.getHeight())
              .optChannels(shape.getChannels())
              .optSeed(settings.seed())
              .optWorkers(1)
              .optFineTuneFrom(new ParentVersion(settings.store(), model, parent.getVersion()))
              .build();
      TrainingResult result = new TrainingJob(config, ProgressListener.NONE).run();
      return Publication.publish(
              result.artifactDirectory(),
              settings.store(),
              VersionPublisher.of(settings.kafka()),
              false,
              false,
              "glimpse retrain")
          .version();
    } catch (DatasetException | TrainingException | ModelStoreException | PublishException e) {
      throw new RetrainException(
          "Could not train a candidate of "
              + model
              + " from v"
              + parent.getVersion()
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
