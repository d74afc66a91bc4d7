package io.glimpse.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.schemas.topic.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * How the chart scales the pipeline, checked against the pipeline's configuration: static
 * membership under the StatefulSet's pod names, and KEDA on the lag of the pipeline's consumer
 * group on images, never above the partitions.
 */
class HelmChartScalingTest {
  @Test
  void statefulSetJoinsWithStaticMembershipUnderItsPodNames() {
    Manifest manifest = ChartValueSets.render("statefulset");
    Map<String, Object> pipeline = manifest.pipeline();
    PipelineConfig config = ChartValueSets.pipelineConfig(manifest);

    assertThat(pipeline.get("kind")).isEqualTo("StatefulSet");
    assertThat(
            manifest.one("Service", String.valueOf(Manifest.at(pipeline, "spec", "serviceName"))))
        .extracting(s -> Manifest.at(s, "spec", "clusterIP"))
        .isEqualTo("None");
    assertThat(config.streamsProperties())
        .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, PodEnvironment.POD_NAME)
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "120000");
    assertThat(config.instanceId()).isEqualTo(PodEnvironment.POD_NAME);
    assertThat(ChartValueSets.pipelineConfig(ChartValueSets.render("s3")).streamsProperties())
        .as("a Deployment's pods have no stable names: dynamic membership")
        .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
  }

  @Test
  void kedaScalesOnTheLagOfThePipelinesGroupOnImagesUpToThePartitions() {
    for (String set : List.of("keda", "secrets")) {
      Manifest manifest = ChartValueSets.render(set);
      Map<String, Object> pipeline = manifest.pipeline();
      Map<String, Object> scaled = manifest.one("ScaledObject", "glimpse-pipeline");
      Map<String, Object> trigger =
          DeployAssets.map(DeployAssets.list(Manifest.at(scaled, "spec", "triggers")).get(0));
      PipelineConfig config = ChartValueSets.pipelineConfig(manifest);
      int partitions = (Integer) ChartValueSets.mergedValue(set, "kafka", "imagesPartitions");

      assertThat(trigger.get("type")).isEqualTo("kafka");
      assertThat(DeployAssets.map(trigger.get("metadata")))
          .containsEntry(
              "consumerGroup",
              GlimpsePipeline.streamsConfig(config)
                  .getProperty(StreamsConfig.APPLICATION_ID_CONFIG))
          .containsEntry("topic", config.imagesTopic())
          .containsEntry("bootstrapServers", config.streamsProperties().get("bootstrap.servers"))
          .containsKeys("lagThreshold", "activationLagThreshold");
      assertThat(config.imagesTopic()).isEqualTo(Topics.IMAGES.name());
      assertThat((Integer) Manifest.at(scaled, "spec", "maxReplicaCount")).isBetween(1, partitions);
      assertThat(Manifest.at(scaled, "spec", "scaleTargetRef", "name"))
          .isEqualTo(Manifest.name(pipeline));
      assertThat(Manifest.at(scaled, "spec", "scaleTargetRef", "kind"))
          .isEqualTo(pipeline.get("kind"));
      assertThat(DeployAssets.map(pipeline.get("spec")))
          .as("KEDA owns the replica count")
          .doesNotContainKey("replicas");
    }
    assertThat(
            Manifest.at(
                ChartValueSets.render("secrets").one("ScaledObject", "glimpse-pipeline"), "spec"))
        .extracting(
            s ->
                Manifest.at(
                    DeployAssets.list(Manifest.at(s, "triggers")).get(0),
                    "authenticationRef",
                    "name"))
        .isEqualTo("glimpse-kafka");
    assertThatThrownBy(
            () ->
                HelmChart.render(
                    List.of(HelmChart.example("values-keda.yaml")),
                    Map.of("keda.maxReplicaCount", 7)))
        .hasMessageContaining("exceeds kafka.imagesPartitions");
    assertThatThrownBy(() -> HelmChart.render(List.of(), Map.of("pipeline.replicas", 7)))
        .hasMessageContaining("exceeds kafka.imagesPartitions");
  }
}
