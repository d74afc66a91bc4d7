package io.glimpse.model.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.translate.TranslateException;
import io.glimpse.model.RequiredPackage;
import io.glimpse.model.mobilenet.MobileNetV1;
import io.glimpse.model.mobilenet.Precision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny real model (MobileNetV1 α=0.25, 10 classes, 1×32×32) through every path and attack. */
class ModelArtifactTest {

  private static final List<String> LABELS =
      List.of(
          "t-shirt",
          "trouser",
          "pullover",
          "dress",
          "coat",
          "sandal",
          "shirt",
          "sneaker",
          "bag",
          "ankle-boot");
  private static final InputShape INPUT = new InputShape(1, 32, 32);
  private static final String PARAMS = "tiny-0000.params";

  private static final String TRACE_SCRIPT =
      String.join(
          "\n",
          "import math, sys, torch",
          "torch.manual_seed(0)",
          "net = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, 2, 1), torch.nn.ReLU(),",
          "    torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(4, 10)).eval()",
          "x = torch.tensor([math.sin(i * 0.1) for i in range(1024)]).reshape(1, 1, 32, 32)",
          "traced = torch.jit.trace(net, x)",
          "traced.save(sys.argv[1])",
          "print(' '.join(repr(v) for v in traced(x).flatten().tolist()))");

  @TempDir Path tmp;
  private Path artifact;
  private ModelManifest written;
  private float[] expectedOutput;

  @BeforeEach
  void writeTinyModel() throws Exception {
    artifact = tmp.resolve("store/tiny/1");
    Engine.getInstance().setRandomSeed(42);
    Block block =
        MobileNetV1.builder()
            .setNumClasses(10)
            .optWidthMultiplier(0.25f)
            .optInputChannels(1)
            .build();
    try (Model model = Model.newInstance("tiny", Device.cpu(), ModelArtifactLoader.ENGINE)) {
      model.setBlock(block);
      block.initialize(model.getNDManager(), DataType.FLOAT32, INPUT.toBatchShape(1));
      written = ModelArtifactWriter.write(model, draftManifest(), artifact);
      expectedOutput = predict(model);
    }
  }

  @Test
  void roundTripsThroughDirectoryAndArchive() throws Exception {
    String sha = ModelArtifact.manifestSha256(artifact);
    Path archive = tmp.resolve("tiny-1.zip");
    ModelArchive.pack(artifact, archive);
    Path unpacked = tmp.resolve("unpacked");
    ModelArchive.unpack(archive, unpacked, ModelArtifactLoader.DEFAULT_MAX_FILE_BYTES);

    assertThat(Files.list(artifact).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder("manifest.json", PARAMS, "labels.txt");
    assertThat(written.getFiles()).containsOnlyKeys(PARAMS, "labels.txt");
    assertThat(ModelArtifact.manifestSha256(unpacked)).isEqualTo(sha);
    ModelArtifactLoader loader =
        ModelArtifactLoader.builder().optExpectedManifestSha256(sha).build();
    for (Path source : List.of(artifact, archive, unpacked)) {
      try (LoadedModel loaded = loader.load(source)) {
        assertThat(loaded.getManifest()).isEqualTo(written);
        assertThat(loaded.getManifestSha256()).isEqualTo(sha);
        assertThat(predict(loaded.getModel())).containsExactly(expectedOutput, within(1e-6f));
      }
    }
  }

  /**
   * {@code optPrecision(BF16)} serves the folded program in bfloat16: probabilities within the
   * loader's bf16 tolerance of the trained form's, and not fp32's exact scores (which would mean
   * nothing was cast). Its accuracy on a trained model is {@code bench precision}'s to measure: the
   * logits of an untrained network are near-cancelling sums, whose relative rounding error says
   * nothing about a trained one.
   */
  @Test
  void bf16ServesTheFoldedFormInBfloat16() throws Exception {
    ModelArtifactLoader bf16Loader =
        ModelArtifactLoader.builder().optPrecision(Precision.BF16).build();
    try (LoadedModel fp32 = load(artifact);
        LoadedModel bf16 = bf16Loader.load(artifact)) {
      assertThat(fp32.servedAs()).isEqualTo("folded TorchScript");
      assertThat(fp32.precision()).isEqualTo(Precision.FP32);
      assertThat(bf16.servedAs()).isEqualTo("folded TorchScript bf16");
      assertThat(bf16.precision()).isEqualTo(Precision.BF16);
      assertThat(bf16.device()).isEqualTo("cpu()");

      float[] exact = predictServed(fp32);
      float[] rounded = predictServed(bf16);
      assertThat(exact).containsExactly(expectedOutput, within(1e-5f));
      assertThat(rounded).isNotEqualTo(exact);
      assertThat(softmax(rounded))
          .containsExactly(softmax(exact), within((float) FoldedForm.BF16_TOLERANCE));
    }
  }

  @Test
  void packingTheSameDirectoryTwiceGivesTheSameBytes() throws Exception {
    ModelArchive.pack(artifact, tmp.resolve("a.zip"));
    ModelArchive.pack(artifact, tmp.resolve("b.zip"));
    assertThat(tmp.resolve("a.zip")).hasSameBinaryContentAs(tmp.resolve("b.zip"));
  }

  @Test
  void rejectsTamperedParameters() throws Exception {
    Path params = artifact.resolve(PARAMS);
    byte[] bytes = Files.readAllBytes(params);
    bytes[bytes.length - 10] ^= 1;
    Files.write(params, bytes);

    assertThatThrownBy(() -> load(artifact))
        .isInstanceOf(ModelArtifactException.class)
        .hasMessageContaining("checksum mismatch for " + PARAMS)
        .hasMessageContaining(written.getFiles().get(PARAMS))
        .hasMessageContaining(ArtifactFiles.sha256(bytes));
  }

  @Test
  void rejectsMissingFile() throws Exception {
    Files.delete(artifact.resolve("labels.txt"));
    assertThatThrownBy(() -> load(artifact)).hasMessageContaining("missing file labels.txt");
  }

  @Test
  void rejectsUnlistedParameterFile() throws Exception {
    // DJL alone would load this newer epoch instead of the verified one.
    Files.copy(artifact.resolve(PARAMS), artifact.resolve("tiny-0001.params"));
    assertThatThrownBy(() -> load(artifact))
        .hasMessageContaining("unlisted file(s) [tiny-0001.params]");
  }

  @Test
  void rejectsArchiveEntryEscapingTheTarget() throws Exception {
    Path zip = tmp.resolve("evil.zip");
    Zips.write(zip, withArtifactFiles("../evil", "boo".getBytes(StandardCharsets.UTF_8)));
    Path target = tmp.resolve("out/model");

    assertThatThrownBy(() -> ModelArchive.unpack(zip, target, 1 << 20))
        .isInstanceOf(ModelArtifactException.class)
        .hasMessageContaining("entry \"../evil\" escapes the target directory");
    assertThat(tmp.resolve("out/evil")).doesNotExist();
    assertThatThrownBy(() -> load(zip)).hasMessageContaining("escapes the target directory");
  }

  @Test
  void rejectsArchiveEntryWithAbsolutePath() throws Exception {
    Path zip = tmp.resolve("absolute.zip");
    Path victim = tmp.resolve("victim.txt");
    Zips.write(zip, withArtifactFiles(victim.toString(), "boo".getBytes(StandardCharsets.UTF_8)));

    assertThatThrownBy(() -> load(zip))
        .hasMessageContaining("entry \"" + victim + "\" is an absolute path");
    assertThat(victim).doesNotExist();
  }

  @Test
  void rejectsSymbolicLinkInArchive() throws Exception {
    Path zip = tmp.resolve("link.zip");
    Zips.write(zip, withArtifactFiles("extra", "/etc/passwd".getBytes(StandardCharsets.UTF_8)));
    Zips.markSymbolicLink(zip, "extra");

    assertThatThrownBy(() -> load(zip)).hasMessageContaining("entry \"extra\" is a symbolic link");
  }

  @Test
  void rejectsSymbolicLinkInDirectory() throws Exception {
    Path labels = artifact.resolve("labels.txt");
    Path elsewhere = Files.move(labels, tmp.resolve("labels-elsewhere.txt"));
    Files.createSymbolicLink(labels, elsewhere);

    assertThatThrownBy(() -> load(artifact))
        .hasMessageContaining("labels.txt in " + artifact + " is a symbolic link");
  }

  @Test
  void rejectsFilesOverTheCap() throws Exception {
    ModelArtifactLoader tiny = ModelArtifactLoader.builder().optMaxFileBytes(4096).build();
    Path archive = tmp.resolve("tiny.zip");
    ModelArchive.pack(artifact, archive);

    assertThatThrownBy(() -> tiny.load(artifact))
        .hasMessageContaining(PARAMS + " is larger than the 4096-byte cap");
    assertThatThrownBy(() -> tiny.load(archive))
        .hasMessageContaining(PARAMS + " is larger than the 4096-byte cap");
  }

  @Test
  void rejectsManifestWithMoreLabelsThanTheNetworkHasOutputs() throws Exception {
    List<String> eleven = new ArrayList<>(LABELS);
    eleven.add("hat");
    rewriteManifest(written.toBuilder().setLabels(eleven), eleven);

    assertThatThrownBy(() -> load(artifact))
        .hasMessageContaining("manifest lists 11 labels but the parameters' classifier has 10");
  }

  @Test
  void rejectsManifestClaimingThreeChannelsForAGrayscaleNetwork() throws Exception {
    rewriteManifest(
        written.toBuilder()
            .setInputShape(new InputShape(3, 32, 32))
            .setNormalization(new Normalization(List.of(.5f, .5f, .5f), List.of(.5f, .5f, .5f))),
        LABELS);

    assertThatThrownBy(() -> load(artifact))
        .hasMessageContaining("manifest says input (N, 3, H, W)")
        .hasMessageContaining("whose input was [(1, 1, 32, 32)]");
  }

  @Test
  void rejectsWrongExpectedManifestSha() throws Exception {
    String wrong = "ab".repeat(32);
    ModelArtifactLoader loader =
        ModelArtifactLoader.builder().optExpectedManifestSha256(wrong).build();

    assertThatThrownBy(() -> loader.load(artifact))
        .hasMessageContaining("manifest sha256 is " + ModelArtifact.manifestSha256(artifact))
        .hasMessageContaining("but " + wrong + " was expected");
  }

  @Test
  void writerRefusesExistingTargetAndDisagreeingManifest() throws Exception {
    try (Model model = Model.newInstance("tiny", Device.cpu(), ModelArtifactLoader.ENGINE)) {
      Block block =
          MobileNetV1.builder()
              .setNumClasses(10)
              .optWidthMultiplier(0.25f)
              .optInputChannels(1)
              .build();
      model.setBlock(block);
      block.initialize(model.getNDManager(), DataType.FLOAT32, INPUT.toBatchShape(1));

      assertThatThrownBy(() -> ModelArtifactWriter.write(model, draftManifest(), artifact))
          .hasMessageContaining("already exists");
      List<String> eleven = new ArrayList<>(LABELS);
      eleven.add("hat");
      ModelManifest wrong = draftManifest().toBuilder().setLabels(eleven).build();
      Path target = tmp.resolve("store/tiny/2");
      assertThatThrownBy(() -> ModelArtifactWriter.write(model, wrong, target))
          .hasMessageContaining("manifest lists 11 labels");
      assertThat(target).doesNotExist();
      assertThat(Files.list(target.getParent()).map(p -> p.getFileName().toString()))
          .containsExactly("1");
    }
  }

  /**
   * Needs PyTorch for {@code /usr/bin/python3} (Debian's python3-torch) to trace a small module;
   * skipped where it is missing. The module is no MobileNet: for TorchScript the manifest's
   * architecture is a description, and the warm-up pass checks input and output shapes.
   */
  @Test
  void loadsTorchScriptArtifact() throws Exception {
    RequiredPackage.assumeInstalled(run("-c", "import torch").exitValue() == 0, "python3-torch");
    Path script = tmp.resolve("traced.pt");
    Process trace = run("-c", TRACE_SCRIPT, script.toString());
    assertThat(trace.exitValue()).as(new String(trace.getErrorStream().readAllBytes())).isZero();
    String[] printed =
        new String(trace.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split(" ");
    ModelManifest manifest = draftManifest().toBuilder().setFormat(ModelFormat.TORCHSCRIPT).build();
    Path target = tmp.resolve("store/tiny-ts/1");
    ModelArtifactWriter.writeTorchScript(script, manifest, target);

    try (LoadedModel loaded = load(target)) {
      float[] output = predict(loaded.getModel());
      assertThat(output).hasSize(10);
      for (int i = 0; i < printed.length; i++) {
        assertThat(output[i]).isCloseTo(Float.parseFloat(printed[i]), within(1e-5f));
      }
    }
    List<String> eleven = new ArrayList<>(LABELS);
    eleven.add("hat");
    Path wrong = tmp.resolve("store/tiny-ts/2");
    ModelArtifactWriter.writeTorchScript(
        script, manifest.toBuilder().setLabels(eleven).build(), wrong);
    assertThatThrownBy(() -> load(wrong))
        .hasMessageContaining("warm-up forward pass returned (1, 10)")
        .hasMessageContaining("11 labels need (1, 11)");
  }

  private static Process run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("python3 " + args[0] + " did not finish in 120 s");
    }
    return process;
  }

  private static ModelManifest draftManifest() {
    return ModelManifest.builder()
        .setName("tiny")
        .setVersion("1")
        .setFormat(ModelFormat.DJL)
        .optWidthMultiplier(0.25f)
        .setInputShape(INPUT)
        .setNormalization(new Normalization(List.of(0.286f), List.of(0.353f)))
        .setLabels(LABELS)
        .optMetrics(Map.of("test_accuracy", 0.1))
        .optCreatedTime(Instant.parse("2025-01-02T03:04:05.678Z"))
        .build();
  }

  private LoadedModel load(Path source) throws ModelArtifactException {
    return ModelArtifactLoader.builder().build().load(source);
  }

  private static float[] predictServed(LoadedModel model) throws TranslateException {
    try (Predictor<float[], float[]> predictor =
        model.newPredictor(new FloatsTranslator(INPUT.toBatchShape(1)))) {
      return predictor.predict(sinImage());
    }
  }

  private static float[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : logits) {
      sum += Math.exp(v - max);
    }
    float[] p = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      p[i] = (float) (Math.exp(logits[i] - max) / sum);
    }
    return p;
  }

  private static float[] sinImage() {
    float[] image = new float[32 * 32];
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) Math.sin(i * 0.1);
    }
    return image;
  }

  private static float[] predict(Model model) throws TranslateException {
    float[] image = new float[32 * 32];
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) Math.sin(i * 0.1);
    }
    Shape shape = INPUT.toBatchShape(1);
    try (Predictor<float[], float[]> predictor = model.newPredictor(new FloatsTranslator(shape))) {
      return predictor.predict(image);
    }
  }

  /** The artifact's own files plus one extra entry, in that order. */
  private Map<String, byte[]> withArtifactFiles(String extraName, byte[] extra) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (String name : List.of("manifest.json", PARAMS, "labels.txt")) {
      entries.put(name, Files.readAllBytes(artifact.resolve(name)));
    }
    entries.put(extraName, extra);
    return entries;
  }

  /** A manifest that is self-consistent (checksums match) but disagrees with the parameters. */
  private void rewriteManifest(ModelManifest.Builder changed, List<String> labels)
      throws IOException {
    byte[] labelsBytes = (String.join("\n", labels) + "\n").getBytes(StandardCharsets.UTF_8);
    Files.write(artifact.resolve("labels.txt"), labelsBytes);
    Map<String, String> files = new TreeMap<>(written.getFiles());
    files.put("labels.txt", ArtifactFiles.sha256(labelsBytes));
    Files.write(artifact.resolve("manifest.json"), changed.optFiles(files).build().toJson());
  }
}
