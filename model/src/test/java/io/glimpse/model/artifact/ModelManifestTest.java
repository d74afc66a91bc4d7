package io.glimpse.model.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manifest's JSON form and validation; no libtorch involved. */
class ModelManifestTest {

  private static final String SHA_A = "a".repeat(64);
  private static final String SHA_B = "b".repeat(64);

  private static ModelManifest.Builder complete() {
    return ModelManifest.builder()
        .setName("fashion")
        .setVersion("3")
        .setFormat(ModelFormat.DJL)
        .optWidthMultiplier(0.5f)
        .setInputShape(new InputShape(1, 32, 32))
        .setNormalization(new Normalization(List.of(0.286f), List.of(0.353f)))
        .setLabels(List.of("t-shirt", "trouser"))
        .optMetrics(Map.of("test_accuracy", 0.83, "loss", 0.47))
        .optCreatedTime(Instant.parse("2025-01-02T03:04:05.678901Z"))
        .optParentVersion("2")
        .optParametersFile("fashion-0003.params")
        .optFiles(Map.of("fashion-0003.params", SHA_A, "labels.txt", SHA_B));
  }

  @Test
  void roundTripsThroughJson() throws Exception {
    ModelManifest manifest = complete().build();
    byte[] json = manifest.toJson();

    assertThat(ModelManifest.fromJson(json)).isEqualTo(manifest);
    assertThat(manifest.getCreatedTime()).isEqualTo(Instant.parse("2025-01-02T03:04:05.678Z"));
    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"format\" : \"djl\"")
        .contains("\"architecture\" : \"mobilenet_v1\"")
        .contains("\"widthMultiplier\" : 0.5")
        .contains("\"createdTime\" : \"2025-01-02T03:04:05.678Z\"")
        .contains("\"labels.txt\" : \"" + SHA_B + "\"");
  }

  @Test
  void draftWithoutFilesAndParentIsValid() throws Exception {
    ModelManifest draft =
        complete().optParentVersion(null).optParametersFile(null).optFiles(Map.of()).build();
    assertThat(draft.getParentVersion()).isEmpty();
    assertThat(ModelManifest.fromJson(draft.toJson())).isEqualTo(draft);
  }

  @Test
  void recordsTheTrainingDataWhenKnown() throws Exception {
    ModelManifest trained =
        complete().optTrainingData("fashion-mnist (/usr/share/datasets/fashion-mnist)").build();
    assertThat(ModelManifest.fromJson(trained.toJson())).isEqualTo(trained);
    assertThat(ModelManifest.fromJson(trained.toJson()).getTrainingData())
        .contains("fashion-mnist (/usr/share/datasets/fashion-mnist)");
    // Manifests written before the field existed read as "not recorded".
    assertThat(ModelManifest.fromJson(complete().build().toJson()).getTrainingData()).isEmpty();
    assertThat(new String(complete().build().toJson(), StandardCharsets.UTF_8))
        .doesNotContain("trainingData");
    assertThatThrownBy(() -> complete().optTrainingData("two\nlines").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trainingData must be one non-blank line");
  }

  @Test
  void builderSaysWhatWasExpectedAndWhatCame() {
    assertThatThrownBy(() -> complete().setName("../etc").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name must be")
        .hasMessageContaining("got \"../etc\"");
    assertThatThrownBy(() -> complete().optWidthMultiplier(2f).build())
        .hasMessageContaining("(0, 1]")
        .hasMessageContaining("got 2.0");
    assertThatThrownBy(() -> complete().setLabels(List.of()).build())
        .hasMessageContaining("labels are required");
    assertThatThrownBy(() -> complete().setLabels(List.of("a", "a")).build())
        .hasMessageContaining("\"a\" appears twice");
    assertThatThrownBy(() -> complete().setLabels(List.of("a\nb")).build())
        .hasMessageContaining("one non-blank line");
    assertThatThrownBy(() -> complete().setInputShape(new InputShape(3, 32, 32)).build())
        .hasMessageContaining("normalization has 1 channel(s) but inputShape has 3");
    assertThatThrownBy(() -> new InputShape(1, 16, 32)).hasMessageContaining("at least 32");
    assertThatThrownBy(() -> complete().optParametersFile("other-0001.params").build())
        .hasMessageContaining("is not in files");
    assertThatThrownBy(() -> complete().optFiles(Map.of("fashion-0003.params", "xyz")).build())
        .hasMessageContaining("64 lower-case hex digits, got xyz");
    assertThatThrownBy(() -> complete().optArchitecture("resnet18").build())
        .hasMessageContaining("got resnet18");
  }

  @Test
  void fromJsonRejectsMalformedManifests() throws Exception {
    String json = new String(complete().build().toJson(), StandardCharsets.UTF_8);

    assertThatThrownBy(() -> parse(json.replace("\"name\" : \"fashion\",", "")))
        .isInstanceOf(ModelArtifactException.class)
        .hasMessageContaining("field \"name\" is missing");
    assertThatThrownBy(
            () -> parse(json.replace("\"name\" : \"fashion\",", "\"name\" : 1, \"name\" : 2,")))
        .hasMessageContaining("Duplicate field 'name'");
    assertThatThrownBy(() -> parse(json.replace("\"channels\" : 1", "\"channels\" : \"1\"")))
        .hasMessageContaining("field \"channels\" must be an integer");
    assertThatThrownBy(
            () -> parse(json.replace("\"manifestVersion\" : 1", "\"manifestVersion\" : 2")))
        .hasMessageContaining("manifestVersion must be 1..1");
    assertThatThrownBy(() -> parse(json.replace("\"djl\"", "\"onnx\"")))
        .hasMessageContaining("\"djl\" or \"torchscript\", got \"onnx\"");
    assertThatThrownBy(() -> parse("{")).hasMessageContaining("not valid JSON");
  }

  private static ModelManifest parse(String json) throws ModelArtifactException {
    return ModelManifest.fromJson(json.getBytes(StandardCharsets.UTF_8));
  }
}
