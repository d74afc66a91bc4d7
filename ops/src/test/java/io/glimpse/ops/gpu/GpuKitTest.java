package io.glimpse.ops.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.ops.RequiredPackage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU kit ({@code ops/gpu}) works before a GPU is at hand: built here (without packing), its
 * GPU-machine script compiles DJL's JNI against Debian's libtorch 1.13 (python3-torch,
 * libtorch-dev), DJL loads it through {@code PYTORCH_LIBRARY_PATH}, and the kit's probe classifies
 * eight images on the CPU with the same top-1s and probabilities (within 1e-4) as the normal
 * build's DJL, with its bundled libtorch 2.7.1. The compile takes two minutes or more on two cores.
 */
class GpuKitTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void kitCompilesTheJniAgainstDebianTorchAndClassifiesAsTheNormalBuild(@TempDir Path dir)
      throws Exception {
    RequiredPackage.assumeInstalled(onPath("g++"), "g++");
    RequiredPackage.assumeInstalled(
        run(dir, Map.of(), 60, PYTHON.toString(), "-c", "import torch").exit() == 0,
        "python3-torch");
    RequiredPackage.assumeInstalled(Files.exists(Path.of("/usr/include/torch")), "libtorch-dev");
    Path kit = dir.resolve("kit");
    Result build =
        run(
            dir,
            Map.of(),
            300,
            ROOT.resolve("ops/gpu/kit").toString(),
            "build",
            "--no-pack",
            "--out",
            kit.toString(),
            "--classpath",
            runtimeClasspath());
    assertThat(build.exit()).as(build.output()).isZero();

    // The normal build: DJL with its bundled libtorch, and the kit's probe on top.
    String normal =
        System.getProperty("java.class.path") + File.pathSeparator + kit.resolve("lib/*");
    Path sample = dir.resolve("sample");
    Result written = probe(dir, normal, "sample", sample.toString(), "0.25", "64");
    assertThat(written.exit()).as(written.output()).isZero();
    Path expected = dir.resolve("expected.json");
    Result classified =
        probe(
            dir,
            normal,
            "classify",
            sample.resolve("model").toString(),
            sample.resolve("images").toString(),
            "cpu",
            expected.toString());
    assertThat(classified.exit()).as(classified.output()).isZero();

    Path out = dir.resolve("out");
    Path work = workDir(dir);
    Result quick =
        run(
            dir,
            Map.of(
                "OUT", out.toString(),
                "GLIMPSE_KIT_ALLOW_CPU", "1",
                "GLIMPSE_KIT_PYTHON", PYTHON.toString(),
                "GLIMPSE_KIT_WORK", work.toString()),
            480,
            "bash",
            kit.resolve("run.sh").toString(),
            "--quick",
            sample.resolve("model").toString(),
            sample.resolve("images").toString());
    assertThat(quick.exit()).as(quick.output()).isZero();

    JsonNode normalRun = JSON.readTree(expected.toFile());
    JsonNode kitRun = JSON.readTree(out.resolve("quick-cpu.json").toFile());
    assertThat(normalRun.get("libtorch").asText()).isEqualTo("2.7.1");
    assertThat(kitRun.get("libtorch").asText()).startsWith("1.13");
    assertThat(kitRun.get("library_path").asText()).isEqualTo(work.resolve("torch-lib").toString());
    assertThat(Files.readString(out.resolve("environment.txt"))).contains("torch 1.13");
    assertSamePredictions(normalRun.get("predictions"), kitRun.get("predictions"));
  }

  /**
   * Where run.sh builds the JNI: a fresh folder, or {@code GLIMPSE_KIT_WORK} when set, whose build
   * run.sh reuses when the sources and flags are the same (saves the compile when rerunning here).
   */
  private static Path workDir(Path dir) {
    String shared = System.getenv("GLIMPSE_KIT_WORK");
    return shared == null || shared.isBlank() ? dir.resolve("work") : Path.of(shared);
  }

  private static void assertSamePredictions(JsonNode expected, JsonNode actual) {
    assertThat(actual).hasSize(8);
    assertThat(actual.size()).isEqualTo(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      JsonNode want = expected.get(i);
      JsonNode got = actual.get(i);
      String file = want.get("file").asText();
      assertThat(got.get("file").asText()).isEqualTo(file);
      assertThat(got.get("top1").asInt()).as(file).isEqualTo(want.get("top1").asInt());
      assertThat(got.get("probabilities")).hasSameSizeAs(want.get("probabilities"));
      for (int c = 0; c < want.get("probabilities").size(); c++) {
        assertThat(got.get("probabilities").get(c).asDouble())
            .as("%s, class %d", file, c)
            .isCloseTo(want.get("probabilities").get(c).asDouble(), within(1e-4));
      }
    }
  }

  /**
   * The jars and class folders the pipeline runs with: this JVM's classpath without test classes
   * and the test framework (the kit leaves DJL's bundled libtorch out itself).
   */
  private static String runtimeClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.endsWith("test-classes"))
        .filter(
            entry ->
                !entry.contains("/surefire")
                    && !entry.contains("/junit")
                    && !entry.contains("/org/opentest4j/")
                    && !entry.contains("/org/assertj/"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static Result probe(Path dir, String classpath, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Dai.djl.offline=true", "-cp", classpath));
    command.add("io.glimpse.gpukit.KitProbe");
    command.addAll(List.of(args));
    return run(dir, Map.of("OPT_OUT_TRACKING", "true"), 180, command.toArray(String[]::new));
  }

  private static boolean onPath(String program) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(folder -> Files.isExecutable(Path.of(folder, program)));
  }

  /** Runs a command in {@code dir}, output to a file; its exit code and output. */
  private static Result run(Path dir, Map<String, String> env, long seconds, String... command)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "command", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        return new Result(-1, "timed out after " + seconds + " s: " + tail(log));
      }
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    return new Result(process.exitValue(), tail(log));
  }

  private static String tail(Path log) throws IOException {
    String text = Files.readString(log, StandardCharsets.UTF_8);
    return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
  }

  private record Result(int exit, String output) {}
}
