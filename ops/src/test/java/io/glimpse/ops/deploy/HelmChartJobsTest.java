package io.glimpse.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.ops.cli.TrainCommand;
import io.glimpse.ops.cli.connection.ConnectionSettings;
import io.glimpse.pipeline.config.PipelineConfig;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/**
 * The chart's trainer and {@code models} Jobs, checked against the CLI and the pipeline: their
 * arguments parse as {@code glimpse} commands, and they use the store, Kafka and model name the
 * pipeline uses.
 */
class HelmChartJobsTest {
  @Test
  void trainerWritesToTheStoreThePipelineServesAndPromotesTheNameItFollows() {
    for (String set : List.of("trainer-cronjob", "trainer-job")) {
      Manifest manifest = ChartValueSets.render(set);
      PipelineConfig pipeline = ChartValueSets.pipelineConfig(manifest);
      Map<String, Object> trainer =
          manifest.workloads().stream()
              .filter(w -> Manifest.name(w).startsWith("glimpse-trainer"))
              .findFirst()
              .orElseThrow();
      List<String> args = Manifest.args(Manifest.container(trainer));

      assertThat(trainer.get("kind")).isEqualTo(set.equals("trainer-cronjob") ? "CronJob" : "Job");
      assertThat(ChartValueSets.parseCli(args).subcommand().commandSpec().name())
          .isEqualTo("train");
      assertThat(args).containsAll(DeployAssets.trainerFlagsFor(pipeline));
    }
    assertThat(
            Manifest.at(
                ChartValueSets.render("trainer-cronjob").one("CronJob", "glimpse-trainer"),
                "spec",
                "schedule"))
        .isEqualTo("0 3 * * 0");

    Manifest volume = ChartValueSets.render("trainer-job");
    String claim =
        String.valueOf(
            Manifest.at(volume.one("PersistentVolumeClaim", "glimpse-models"), "metadata", "name"));
    assertThat(
            DeployAssets.list(
                Manifest.at(volume.one("PersistentVolumeClaim", claim), "spec", "accessModes")))
        .containsExactly("ReadWriteMany");
    for (Map<String, Object> workload : volume.workloads()) {
      boolean trainer = Manifest.name(workload).startsWith("glimpse-trainer");
      assertThat(String.valueOf(Manifest.podSpec(workload).get("volumes")))
          .contains("claimName=" + claim);
      assertThat(String.valueOf(Manifest.container(workload).get("volumeMounts")))
          .as(
              "%s mounts the store %s",
              Manifest.name(workload), trainer ? "read-write" : "read-only")
          .contains("mountPath=/var/glimpse/models, readOnly=" + !trainer);
    }
  }

  @Test
  void trainerPromotesOverTheSecuredKafkaAndRegistryThePipelineUses() throws IOException {
    Manifest manifest =
        HelmChart.render("values-s3.yaml", "values-secrets.yaml", "values-trainer-job.yaml");
    Map<String, Object> container =
        Manifest.container(
            manifest.workloads().stream()
                .filter(w -> Manifest.name(w).startsWith("glimpse-trainer"))
                .findFirst()
                .orElseThrow());
    Object command =
        ChartValueSets.parseCli(Manifest.args(container)).subcommand().commandSpec().userObject();
    KafkaConnection trainer = ((TrainCommand) command).kafka(PodEnvironment.of(container));
    ConnectionSettings pipeline =
        ConnectionSettings.resolve(
            null, PodEnvironment.of(Manifest.container(manifest.pipeline())), Map.of());

    assertThat(Manifest.args(container)).contains("--promote");
    assertThat(pipeline.clientProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsKeys("sasl.jaas.config", "ssl.truststore.location", "basic.auth.user.info");
    assertThat(trainer.bootstrapServers()).isEqualTo(pipeline.bootstrapServers());
    assertThat(trainer.schemaRegistryUrl()).isEqualTo(pipeline.schemaRegistryUrl());
    Map<String, Object> security = new HashMap<>(pipeline.clientProperties());
    security.keySet().removeIf(k -> !k.matches("(security|sasl|ssl|basic\\.auth)\\..*"));
    assertThat(trainer.clientConfig()).containsAllEntriesOf(security);
    assertThat(trainer.serdeConfig()).containsAllEntriesOf(security);
  }

  @Test
  void modelsJobRunsAModelsCommandOnTheKafkaAndStoreThePipelineUses() throws IOException {
    for (String set : List.of("promote", "rollback")) {
      Manifest manifest = ChartValueSets.render(set);
      Map<String, Object> job = manifest.ofKind("Job").get(0);
      Map<String, Object> container = Manifest.container(job);
      ParseResult parsed = ChartValueSets.parseCli(Manifest.args(container));
      PipelineConfig pipeline = ChartValueSets.pipelineConfig(manifest);
      ConnectionSettings settings =
          ConnectionSettings.resolve(null, PodEnvironment.of(container), Map.of());

      assertThat(Manifest.name(job)).startsWith("glimpse-models-");
      assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("models");
      assertThat(parsed.subcommand().subcommand().commandSpec().name()).isEqualTo(set);
      assertThat(parsed.subcommand().subcommand().matchedPositionals().get(0).getValue().toString())
          .isEqualTo(pipeline.modelName().orElseThrow());
      assertThat(settings.store()).isEqualTo(pipeline.modelStore());
      assertThat(settings.bootstrapServers())
          .isEqualTo(pipeline.streamsProperties().get("bootstrap.servers"));
      assertThat(settings.schemaRegistryUrl())
          .isEqualTo(pipeline.streamsProperties().get("schema.registry.url"));
      assertThat(DeployAssets.map(Manifest.at(job, "spec", "template", "metadata", "labels")))
          .containsEntry("app.kubernetes.io/component", "models")
          .containsEntry("app.kubernetes.io/instance", HelmChart.RELEASE);
    }
    assertThat(ChartValueSets.render("s3").ofKind("Job")).isEmpty();
  }
}
