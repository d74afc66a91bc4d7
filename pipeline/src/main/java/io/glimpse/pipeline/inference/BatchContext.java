package io.glimpse.pipeline.inference;

import io.glimpse.pipeline.serving.ServingModel;

/** What every prediction of one batch shares: the model, the batch size and its timings. */
record BatchContext(ServingModel model, int batchSize, long startMillis, long inferenceMillis) {}
