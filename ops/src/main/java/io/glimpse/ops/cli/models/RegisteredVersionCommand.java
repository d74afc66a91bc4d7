package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.PublishException;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.ops.evaluation.EvaluationException;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What {@code shadow} and {@code evaluate} share: the connection, and the model name and version
 * whose artifact they serve.
 */
abstract class RegisteredVersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "<name>", description = "The model name.")
  String name;

  @Parameters(index = "1", paramLabel = "<version>", description = "A registered version.")
  String version;

  /** The version's record and its artifact in the store. */
  RegisteredArtifact artifact()
      throws IOException, ModelStoreException, EvaluationException, PublishException {
    return RegisteredArtifact.find(connection.kafka(), connection.modelStore(), name, version);
  }
}
