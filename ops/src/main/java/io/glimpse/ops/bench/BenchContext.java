package io.glimpse.ops.bench;

import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.ops.embedded.EmbeddedStack;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every phase of one benchmark run shares.
 *
 * @param settings what is measured
 * @param stack the running embedded Kafka broker and schema registry
 * @param workspace the run's temporary directory
 * @param model the untrained model artifact
 * @param manifest its manifest
 * @param images the serialized images
 */
record BenchContext(
    BenchSettings settings,
    EmbeddedStack stack,
    Workspace workspace,
    Path model,
    ModelManifest manifest,
    BenchImages images) {

  /** Client and serde settings that reach the stack. */
  Map<String, Object> clientConfig() {
    return stack.clientConfig();
  }

  /** Fresh topics for a phase, with the settings' partition count. */
  BenchTopics topics(String phase) {
    return BenchTopics.create(stack.bootstrapServers(), phase, settings.partitions());
  }
}
