package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.PublishException;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.ops.cli.PipelineCommand;
import io.glimpse.ops.cli.connection.ConnectionSettings;
import io.glimpse.ops.evaluation.EvaluationException;
import io.glimpse.ops.evaluation.ShadowSettings;
import io.glimpse.pipeline.config.PipelineConfig;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code glimpse models shadow <name> <version>}: a pipeline of its own; see {@link
 * ShadowSettings}.
 */
@Command(
    name = "shadow",
    mixinStandardHelpOptions = true,
    description = {
      "Run a registered version alongside the serving pipeline until Ctrl-C or SIGTERM: it"
          + " classifies the same images under its own application id and writes to"
          + " predictions.shadow (dead letters to images.dlq.shadow), never to predictions.",
      "Stopping it changes nothing for the serving pipeline. Then: glimpse models compare"
          + " <name> <version>."
    })
final class ShadowCommand extends RegisteredVersionCommand {

  @Option(
      names = "--http-port",
      paramLabel = "<port>",
      defaultValue = "8090",
      description =
          "The shadow's /metrics and /health port, apart from the serving pipeline's 8080"
              + " (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  private int httpPort;

  @Option(
      names = {"-s", "--set"},
      paramLabel = "<key=value>",
      description =
          "Override one pipeline setting, e.g. --set glimpse.batch.max.size=16 (repeatable); the"
              + " shadow's topics, application id and model are its own.")
  private Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call()
      throws IOException,
          ModelStoreException,
          PublishException,
          EvaluationException,
          ModelArtifactException,
          InterruptedException {
    ConnectionSettings settings = connection.settings();
    RegisteredArtifact artifact = artifact();
    Map<String, String> user = new HashMap<>();
    settings.clientProperties().forEach((k, v) -> user.put(k, String.valueOf(v)));
    user.put(ConnectionSettings.BOOTSTRAP_SERVERS, settings.bootstrapServers());
    user.put(ConnectionSettings.SCHEMA_REGISTRY_URL, settings.schemaRegistryUrl());
    user.put(PipelineConfig.HTTP_PORT, Integer.toString(httpPort));
    user.putAll(overrides);
    PipelineConfig config =
        ShadowSettings.load(
            connection.configFile(),
            System.getenv(),
            user,
            ShadowSettings.overlay(name, version, artifact.path(), artifact.record().getSha256()));
    return PipelineCommand.runUntilStopped(config, spec.commandLine().getOut());
  }
}
